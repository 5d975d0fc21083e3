"""N reference networks of one architecture stacked into one module, for seed sweeps (``sweep.run_sweep``).

Every parameter of a stacked model is the single model's parameter with a leading seed dimension N,
under the same name (``conv1.weight``: N x 25 x 1 x 5), and its forward pass computes the N models'
outputs at once from one shared input batch: B x ... in, N x B x outputs out. Each network has a
hand-written stacked implementation (``networks``): one matrix product with N * out columns where the
input is shared, batched matrix products (bmm) elsewhere, an im2col convolution for the 1-D CNN, grouped
convolutions for the 2-D CNN and one block-diagonal cuDNN/ATen GRU or LSTM for the recurrent networks.

Like the package above it, this file imports nothing: ``sizing`` is torch-free (the web side uses it to
split a sweep into tasks); ``networks``, ``functional`` and ``graphs`` (the CUDA-graph step) import torch.
"""
