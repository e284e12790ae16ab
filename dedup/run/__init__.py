"""The cleaning step over records and files, and the executors that run it."""
