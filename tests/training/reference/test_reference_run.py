"""run(): determinism, seeds, the regression optimum, progress and cancellation, the result record."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch import nn

from tests.support.progress import cancel_at
from training.reference import datasets, loop, registry
from training.reference.configs import TrainConfig
from training.reference.errors import RunCancelled
from training.reference.networks import build_model
from training.reference.run import resolve_device, run, seed_everything

SHORT_MLP = {"network": "mlp", "dataset": "mnist1d", "train": {"steps": 120, "eval_every": 40}}


def test_same_seed_same_numbers(data_dir):
    a = run(SHORT_MLP, seed=3, device="cpu", data_dir=data_dir)
    b = run(SHORT_MLP, seed=3, device="cpu", data_dir=data_dir)
    assert a.history == b.history
    assert a.final == b.final
    for key, tensor in a.state_dict().items():
        assert torch.equal(tensor, b.state_dict()[key])


def test_different_seed_different_initial_weights(data_dir):
    spec = registry.spec(SHORT_MLP)
    seed_everything(0)
    w0 = build_model(spec.network, spec.model).state_dict()
    seed_everything(1)
    w1 = build_model(spec.network, spec.model).state_dict()
    seed_everything(0)
    w0_again = build_model(spec.network, spec.model).state_dict()
    assert not torch.equal(w0["linear1.weight"], w1["linear1.weight"])
    assert all(torch.equal(w0[k], w0_again[k]) for k in w0)

    a = run(SHORT_MLP, seed=0, device="cpu", data_dir=data_dir)
    b = run(SHORT_MLP, seed=1, device="cpu", data_dir=data_dir)
    assert a.history != b.history


def test_linear_regression_reaches_least_squares():
    result = run({"network": "linear"}, seed=0, device="cpu")
    arrays = datasets.regression_arrays()
    design = np.hstack([arrays["x"], np.ones_like(arrays["x"])])  # N x 2: [x, 1]
    (w, b), *_ = np.linalg.lstsq(design, arrays["y"].ravel(), rcond=None)
    assert abs(result.final["w"] - w) < 0.01
    assert abs(result.final["b"] - b) < 0.01
    assert abs(w - 3) < 0.2 and abs(b - 2.5) < 0.2  # the data are what the docstring says
    assert result.final["lstsq_w"] == pytest.approx(w, abs=1e-6)
    assert result.final["test_mse"] == pytest.approx(1 / 12, rel=0.3)  # Var(u) for u ~ U[0, 1)


def test_the_seed_documents_protocol_falls_short():
    # Why the regression protocol is not 1000 plain GD steps at lr 0.01: it stops well short of w, b.
    short = run({"network": "linear", "train": {"lr": 0.01, "steps": 1000}}, seed=0, device="cpu")
    assert abs(short.final["w"] - short.final["lstsq_w"]) > 0.1


def test_progress_is_reported_every_step_with_metrics_at_evaluations(data_dir):
    calls = []
    result = run(
        {"network": "logreg", "train": {"steps": 50, "eval_every": 20}},
        seed=0,
        device="cpu",
        data_dir=data_dir,
        on_progress=lambda step, total, metrics: calls.append((step, total, metrics)),
    )
    assert [c[0] for c in calls] == list(range(1, 51))
    assert all(c[1] == 50 for c in calls)
    assert [c[0] for c in calls if c[2] is not None] == [20, 40, 50]  # and the last step
    assert [c[2] for c in calls if c[2] is not None] == result.history
    assert result.final == result.history[-1]  # final = last step, not the best


def test_raising_cancelled_stops_the_loop(data_dir):
    seen = []
    with pytest.raises(RunCancelled, match="user pressed stop") as excinfo:
        run(
            {"network": "logreg", "train": {"steps": 100, "eval_every": 5}},
            seed=0,
            device="cpu",
            data_dir=data_dir,
            on_progress=cancel_at(7, seen),
        )
    assert seen == list(range(1, 8))
    assert excinfo.value.step == 7
    assert [h["step"] for h in excinfo.value.history] == [5]
    assert excinfo.value.histories == [excinfo.value.history]  # one model: one history


def test_returning_false_stops_the_loop(data_dir):
    seen = []

    def on_progress(step, total, metrics):
        seen.append(step)
        return metrics is None  # stop at the first evaluation

    with pytest.raises(RunCancelled) as excinfo:
        run(
            {"network": "logreg", "train": {"steps": 100, "eval_every": 10}},
            seed=0,
            device="cpu",
            data_dir=data_dir,
            on_progress=on_progress,
        )
    assert seen[-1] == 10 and excinfo.value.step == 10


def test_other_callback_errors_propagate(data_dir):
    def on_progress(step, total, metrics):
        raise KeyError("boom")

    with pytest.raises(KeyError):
        run(
            {"network": "logreg", "train": {"steps": 5}},
            seed=0,
            device="cpu",
            data_dir=data_dir,
            on_progress=on_progress,
        )


def test_batches_are_taken_in_order_cycling():
    # n = 10, batch 4: rows 0-3, 4-7, 8-9 (short, as the paper's slicing), then (3 * 4) % 10 = 2: rows 2-5.
    x = torch.arange(10, dtype=torch.float32)[:, None]  # 10 x 1, row i holds i
    data = datasets.Dataset("regression", x, x.clone(), x[:2], x[:2])
    seen: list[list[int]] = []

    class Spy(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = nn.Linear(1, 1)

        def forward(self, xb: torch.Tensor) -> torch.Tensor:
            if self.training:
                seen.append(xb.flatten().int().tolist())
            return self.linear(xb)

    cfg = TrainConfig(optimizer="sgd", lr=1e-3, batch_size=4, steps=4, eval_every=4)
    out = loop.train(Spy(), data, cfg, task="regression")
    assert seen == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [2, 3, 4, 5]]
    assert out.samples == 14


def test_result_record(data_dir):
    result = run(
        {"network": "cnn1d", "train": {"steps": 30, "eval_every": 10, "target_acc": 0.05}},
        seed=0,
        device="auto",
        data_dir=data_dir,
    )
    record = json.loads(json.dumps(result.to_dict()))  # JSON-serialisable as it is
    assert record["config"] == result.spec.to_dict() and record["seed"] == 0
    assert set(record["timings"]) == {
        "wall_s",
        "data_s",
        "train_s",
        "eval_s",
        "samples_per_s",
        "time_to_target_s",
    }
    assert record["timings"]["samples_per_s"] > 0
    assert 0 < record["timings"]["time_to_target_s"] <= record["timings"]["train_s"]
    env = record["environment"]
    assert env["torch"] == torch.__version__ and env["device"] == str(resolve_device("auto"))
    assert {"cuda", "gpu", "host", "python"} <= set(env)

    model = build_model("cnn1d", result.spec.model)
    model.load_state_dict(result.state_dict())  # the weights round-trip
    assert model.linear.weight.device.type == "cpu"


def test_bad_arguments():
    with pytest.raises(ValueError, match="seed must be an integer"):
        run({"network": "linear"}, seed=-1, device="cpu")
    with pytest.raises(ValueError, match="network must be one of"):
        run({"network": "vgg"}, seed=0)
    with pytest.raises(ValueError, match="device must be"):
        resolve_device("meta")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            resolve_device("cuda")
    assert resolve_device("cpu") == torch.device("cpu")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_runs_are_repeatable(data_dir):
    config = {"network": "gru", "train": {"steps": 200, "eval_every": 100}}
    a = run(config, seed=0, device="cuda", data_dir=data_dir)
    b = run(config, seed=0, device="cuda", data_dir=data_dir)
    assert a.environment["gpu"] and a.history == b.history


def test_command_line(tmp_path, capsys):
    from training.reference.__main__ import main

    out = tmp_path / "run.json"
    assert main(["linear", "--steps", "300", "--eval-every", "100", "--json", str(out)]) == 0
    assert "step 300/300" in capsys.readouterr().out
    record = json.loads(out.read_text())
    assert record["config"]["train"]["steps"] == 300 and len(record["history"]) == 3
    with pytest.raises(SystemExit):
        main(["linear", "--lr", "0"])
    assert "lr must be in (0, 10]" in capsys.readouterr().err
