"""Reports and the charts they share with the web pages. They render results; never compute."""
