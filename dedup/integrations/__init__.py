"""Where scrapers already work: a Scrapy item pipeline (``scrapy``), a datatrove formatter
(``datatrove``) and a batched ``datasets.map`` function (``hf``). Each is a thin shell over
the public API and an optional extra (``pip install 'dedup[scrapy]'``, ``[datatrove]``,
``[datasets]``): importing this package imports none of them."""
