"""Reading inputs and writing outputs: decoding, formats, files, records, atomic writes."""
