"""Leaderboard reads: one row per model of a paper, one column per metric, best first by the chosen
metric (its direction from the metric table or a moderator's override), ties by date, non-numbers
shown and left out of the ranking; a task's leaderboards; a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from community.selectors.leaderboards import UnknownMetric, leaderboard, task_leaderboards
from tests.community import factories as f
from tests.community import factories_leaderboards as lf

pytestmark = pytest.mark.django_db


def _board(rows):
    task, dataset = lf.TaskFactory(), lf.DatasetFactory()
    for model, metric, value, date in rows:
        lf.ResultFactory(
            task=task,
            dataset=dataset,
            model_name=model,
            paper_title=f"Paper of {model}",
            metric=metric,
            value=None if value is None else Decimal(value),
            value_text="--" if value is None else value,
            paper_date=date,
        )
    return task, dataset


def test_rows_group_metrics_and_rank_best_first_with_ties_broken_by_date():
    task, dataset = _board(
        [
            ("late-tie", "Accuracy", "90.0", dt.date(2021, 1, 1)),
            ("early-tie", "Accuracy", "90.0", dt.date(2019, 1, 1)),
            ("low", "Accuracy", "80.0", dt.date(2018, 1, 1)),
            ("low", "Params", "11", dt.date(2018, 1, 1)),
            ("dash", "Accuracy", None, dt.date(2017, 1, 1)),
        ]
    )
    board = leaderboard(task=task, dataset=dataset)
    assert [c.metric for c in board.columns] == ["Accuracy", "Params"]
    assert board.sort.metric == "Accuracy"  # the metric with the most numbers
    assert [(e.model_name, e.rank) for e in board.entries] == [
        ("early-tie", 1),
        ("late-tie", 2),
        ("low", 3),
        ("dash", None),  # shown, not ranked
    ]
    low = board.entries[2]
    assert set(low.cells) == {"Accuracy", "Params"}
    assert board.entries[3].cells["Accuracy"].value_text == "--"
    assert board.ranked == 3


def test_lower_is_better_metrics_rank_the_smallest_first():
    task, dataset = _board(
        [("a", "Error rate", "3.5", dt.date(2019, 1, 1)), ("b", "Error rate", "2.1", dt.date(2020, 1, 1))]
    )
    board = leaderboard(task=task, dataset=dataset, metric="Error rate")
    assert [e.model_name for e in board.entries] == ["b", "a"]
    assert board.sort.higher_is_better is False and not board.sort.assumed


def test_a_moderators_direction_overrides_the_metric_table():
    task, dataset = _board(
        [("a", "Error rate", "3.5", dt.date(2019, 1, 1)), ("b", "Error rate", "2.1", dt.date(2020, 1, 1))]
    )
    task.results.filter(model_name="a").update(higher_is_better=True)
    board = leaderboard(task=task, dataset=dataset)
    assert [e.model_name for e in board.entries] == ["a", "b"]


def test_an_unknown_metric_direction_is_assumed_higher_and_said_so():
    task, dataset = _board([("a", "Zorblax", "1", dt.date(2019, 1, 1)), ("b", "Zorblax", "2", None)])
    board = leaderboard(task=task, dataset=dataset)
    assert board.sort.assumed and board.sort.higher_is_better
    assert [e.model_name for e in board.entries] == ["b", "a"]


def test_an_unknown_sort_metric_is_refused():
    task, dataset = _board([("a", "Accuracy", "1", None)])
    with pytest.raises(UnknownMetric):
        leaderboard(task=task, dataset=dataset, metric="BLEU")


def test_sota_points_are_the_numeric_values_of_the_sorted_column():
    task, dataset = _board(
        [("a", "Accuracy", "70", dt.date(2019, 1, 1)), ("b", "Accuracy", None, dt.date(2020, 1, 1))]
    )
    board = leaderboard(task=task, dataset=dataset)
    assert board.sort_values() == [(dt.date(2019, 1, 1), Decimal("70"), "a")]


def test_an_unpublished_paper_is_not_linked_from_its_row():
    paper = f.PaperFactory(status="pending")
    task, dataset = _board([])
    lf.ResultFactory(task=task, dataset=dataset, paper=paper, paper_title=paper.title)
    board = leaderboard(task=task, dataset=dataset)
    assert board.entries[0].paper is None and board.entries[0].paper_title == paper.title


def test_leaderboard_costs_one_query_whatever_its_rows(django_assert_num_queries):
    task, dataset = lf.leaderboard(width=12)
    with django_assert_num_queries(1):
        board = leaderboard(task=task, dataset=dataset)
    assert len(board.entries) == 13
    assert board.entries[0].model_name == "Net-11"  # the highest accuracy


def test_task_leaderboards_list_its_datasets_largest_first(django_assert_num_queries):
    task, big = lf.leaderboard(width=4)
    lf.leaderboard(width=2, task=task)
    named_only = lf.DatasetFactory()
    named_only.tasks.add(task)
    lf.DatasetFactory(status="pending").tasks.add(task)
    with django_assert_num_queries(2):
        boards = task_leaderboards(task=task)
    assert boards[0].dataset == big and boards[0].entries == 5
    assert boards[0].metrics == ["Error rate", "Top-1 Accuracy"]
    assert boards[-1].dataset == named_only and boards[-1].entries == 0
    assert len(boards) == 3
