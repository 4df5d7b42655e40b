"""Search: the feed findable by meaning, in a ChromaDB collection derived from the database.

Importing this package is cheap (the model and Chroma load on first use). BLAS runs on one
thread: embedding one short text is a few small matrix products, and a multi-threaded BLAS
fighting other processes for the cores was measured 20-40 times slower than a single thread.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
