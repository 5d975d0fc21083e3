"""The reference benchmarks DeepCommons runs, with what their papers claim.

Claims for MNIST-1D are the test accuracies Greydanus & Kobak report for their reference models
(logistic regression 32 %, MLP 68 %, CNN 94 %, GRU 91 %), with tolerances that cover seed-to-seed
spread. A benchmark no paper claims a number for (mnist1d-lstm: the paper has no LSTM) has no target,
so its sweeps are ranked but get no verdict. Each description states the protocol a run follows, so a
reader can reproduce it by hand.
"""

MNIST1D_PAPER_ARXIV = "2011.14439"

MNIST1D_PROTOCOL = (
    "Protocol of the paper's code: MNIST-1D generated locally with the default arguments (4000 training "
    "and 1000 test sequences of 40 samples), Adam with learning rate 0.01, batches of 100 taken in order, "
    "6000 steps, the full test set evaluated every 250 steps. The reported number is the test accuracy "
    "at the last step, never the best one seen (that would select on the test set)."
)

BENCHMARKS = [
    {
        "slug": "mnist1d-logreg",
        "name": "MNIST-1D · logistic regression",
        "network": "logreg",
        "dataset": "mnist1d",
        "targets": [{"metric": "test_acc", "value": 0.32, "tolerance": 0.02}],
        "paper": MNIST1D_PAPER_ARXIV,
        "summary": "A single linear layer from the 40 samples to 10 classes.",
        "time_limit_s": 600,
    },
    {
        "slug": "mnist1d-mlp",
        "name": "MNIST-1D · MLP",
        "network": "mlp",
        "dataset": "mnist1d",
        "targets": [{"metric": "test_acc", "value": 0.68, "tolerance": 0.03}],
        "paper": MNIST1D_PAPER_ARXIV,
        "summary": "The paper's MLP: 40 → 100 → 100 (the second layer residual) → 10, ReLU.",
        "time_limit_s": 900,
    },
    {
        "slug": "mnist1d-cnn",
        "name": "MNIST-1D · 1-D CNN",
        "network": "cnn1d",
        "dataset": "mnist1d",
        "targets": [{"metric": "test_acc", "value": 0.94, "tolerance": 0.02}],
        "paper": MNIST1D_PAPER_ARXIV,
        "summary": "Three Conv1d layers of 25 channels (kernels 5/3/3, stride 2, padding 1, ReLU), then 125 → 10.",
        "time_limit_s": 1200,
    },
    {
        "slug": "mnist1d-gru",
        "name": "MNIST-1D · bidirectional GRU",
        "network": "gru",
        "dataset": "mnist1d",
        "targets": [{"metric": "test_acc", "value": 0.91, "tolerance": 0.03}],
        "paper": MNIST1D_PAPER_ARXIV,
        "summary": "A bidirectional GRU of hidden size 6 over the 40 steps; all outputs flattened into 480 → 10.",
        "time_limit_s": 3600,
    },
    {
        # The paper reports no LSTM, so there is nothing to reproduce: no target, hence no verdict.
        "slug": "mnist1d-lstm",
        "name": "MNIST-1D · bidirectional LSTM",
        "network": "lstm",
        "dataset": "mnist1d",
        "targets": [],
        "paper": None,
        "summary": (
            "The GRU benchmark's network with an LSTM cell: bidirectional, hidden size 6, one scalar per "
            "step over the 40 steps, all outputs flattened into 480 → 10. The MNIST-1D paper reports no LSTM, "
            "so no paper claims a number here and sweeps get no verdict; the leaderboard ranks them by test "
            "accuracy."
        ),
        "time_limit_s": 3600,
    },
    {
        "slug": "digits-cnn",
        "name": "8×8 digits · 2-D CNN",
        "network": "cnn2d",
        "dataset": "digits",
        "targets": [{"metric": "test_acc", "minimum": 0.97}],
        "paper": None,
        "summary": (
            "A small 2-D CNN on scikit-learn's 8×8 handwritten digits (channels first, N×1×8×8), with a "
            "fixed stratified 80/20 split; Adam, learning rate 0.001, batches of 100, 2000 steps. "
            "No paper claims a number here: the target is at least 97 % test accuracy."
        ),
        "time_limit_s": 900,
    },
    {
        "slug": "linear-regression",
        "name": "Linear regression · y = 3x + 2 + noise",
        "network": "linear",
        "dataset": "regression",
        "targets": [
            {"metric": "w", "value": 3.0, "tolerance": 0.3},
            {"metric": "b", "value": 2.5, "tolerance": 0.2},
        ],
        "higher_is_better": False,
        "paper": None,
        "summary": (
            "The smallest network: one weight and one bias fitted to 100 points y = 3x + 2 + u with x and u "
            "uniform on [0, 1), drawn once with a fixed data seed (the run seed changes only the initial "
            "weights). Since the noise has mean 0.5, the best fit is w ≈ 3 and b ≈ 2.5. Protocol: full-batch "
            "gradient descent on the mean squared error, learning rate 0.5, 500 steps. The often-quoted "
            "1000 steps at learning rate 0.01 stop well short of the optimum: along the slow direction of "
            "this problem each step removes only about 0.13 % of the remaining error, so about a quarter of "
            "it is still there at the end. Learning rate 0.5 is below the stability limit (about 0.79) and "
            "converges to the least-squares fit within a few hundred steps."
        ),
        "time_limit_s": 300,
    },
]

# What the site's first start queues (training.services.first_start), 5 seeds each on the CPU: the
# three quickest benchmarks with a claim to compare against (well under two minutes together on two
# CPU cores; the MNIST-1D pair brings its paper page's "claimed vs reproduced").
FIRST_START_BENCHMARKS = ("linear-regression", "mnist1d-logreg", "mnist1d-mlp")
