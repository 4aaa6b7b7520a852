"""Running scans on a Dask cluster (``--engine dask``): connecting, shipping the catalogue, counting retries."""
