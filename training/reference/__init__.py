"""Reference training runs: the MNIST-1D paper's networks, a linear regression and an 8x8 digits CNN.

Pure PyTorch, no Django. Greydanus & Kobak, "Scaling Down Deep Learning with MNIST-1D" (ICML 2024),
reference code: github.com/greydanus/mnist1d, notebooks/models.py and notebooks/train.py.

This file deliberately imports nothing: ``configs``, ``registry`` and ``errors`` are torch-free so the
web side can validate a run config without torch installed. Everything that needs torch lives in
``datasets``, ``networks``, ``common``, ``loop``, ``run``, ``sweep`` and ``batched``; import those
explicitly::

    from training.reference.run import run
    result = run({"network": "cnn1d", "dataset": "mnist1d"}, seed=0)

    from training.reference.sweep import run_sweep  # several seeds as one batched job
    results = run_sweep({"network": "cnn1d"}, seeds=[0, 1, 2, 3, 4])
"""
