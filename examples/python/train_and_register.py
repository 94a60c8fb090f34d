#!/usr/bin/env python3
"""Trains a (toy) churn model and reports it to a ModelOps Hub, with Python's standard library only.

Configuration, from the environment:
  HUB_URL       the hub, e.g. http://127.0.0.1:4000
  HUB_TOKEN     a token, e.g. a service account's: hub service-account create --name training-pipeline --roles DATA_SCIENTIST
  HUB_GOAL_ID   the goal the experiment and the model belong to (an ID from the API or the dashboard)
  MODEL_NAME    default "churn-model"
  DATA_VERSION  the training data's version, default "2026-01": it names the run and the version

Running it twice with the same DATA_VERSION changes nothing the second time: the experiment and the
model are ensured by name, the run and the version carry an externalId, and the metric history skips
points it already has. It prints one JSON line: the IDs it reported to.
"""
import json
import os
import random
import sys
import urllib.error
import urllib.request


class HubError(Exception):
    """The hub refused a call (or could not be reached)."""


def graphql(query, variables):
    """Posts one operation to the hub and returns its data; a GraphQL error raises HubError."""
    url = os.environ["HUB_URL"].rstrip("/")
    if not url.endswith("/graphql"):
        url += "/graphql"
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query, "variables": variables}).encode("utf-8"),
        headers={"content-type": "application/json", "authorization": "Bearer " + os.environ["HUB_TOKEN"]},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        answer = json.load(error)
    except urllib.error.URLError as error:
        raise HubError("cannot reach %s: %s" % (url, error.reason)) from error
    if answer.get("errors"):
        first = answer["errors"][0]
        raise HubError("%s: %s" % (first.get("extensions", {}).get("code", "ERROR"), first["message"]))
    return answer["data"]


def train(seed, epochs=5):
    """A stand-in for training: a loss that falls and an AUC that rises, the same for the same seed."""
    rng = random.Random(seed)
    history = []
    loss, auc = 0.9, 0.6
    for epoch in range(1, epochs + 1):
        loss *= 0.7 + rng.random() * 0.1
        auc += (0.95 - auc) * (0.3 + rng.random() * 0.1)
        history.append({"step": epoch, "loss": round(loss, 4), "auc": round(auc, 4)})
    return history


def main():
    for name in ("HUB_URL", "HUB_TOKEN", "HUB_GOAL_ID"):
        if not os.environ.get(name):
            print("train_and_register: %s is not set" % name, file=sys.stderr)
            return 2
    goal_id = os.environ["HUB_GOAL_ID"]
    model_name = os.environ.get("MODEL_NAME", "churn-model")
    data_version = os.environ.get("DATA_VERSION", "2026-01")
    params = {"learningRate": 0.1, "maxDepth": 6, "dataVersion": data_version}

    experiment = graphql(
        "mutation ($input: EnsureExperimentInput!) { ensureExperiment(input: $input) { experiment { id } created } }",
        {"input": {"goalId": goal_id, "name": "churn-training", "hypothesis": "Gradient boosting on tenure and usage predicts churn."}},
    )["ensureExperiment"]["experiment"]

    history = train(seed=data_version)
    final = history[-1]
    run = graphql(
        "mutation ($input: LogRunInput!) { logRun(input: $input) { run { id } } }",
        {"input": {
            "experimentId": experiment["id"],
            "externalId": "train-" + data_version,
            "name": "train " + data_version,
            "status": "FINISHED",
            "params": params,
            "datasetUri": "s3://lake/churn/%s.parquet" % data_version,
            "tags": [{"key": "pipeline", "value": "examples/python"}],
        }},
    )["logRun"]["run"]

    points = [
        {"key": key, "value": epoch[key], "step": epoch["step"]}
        for epoch in history
        for key in ("loss", "auc")
    ]
    graphql("mutation ($input: LogMetricsInput!) { logMetrics(input: $input) { run { id } } }", {"input": {"runId": run["id"], "metrics": points}})

    model = graphql(
        "mutation ($input: EnsureModelInput!) { ensureModel(input: $input) { model { id } } }",
        {"input": {"goalId": goal_id, "name": model_name, "description": "Predicts which customers cancel next month."}},
    )["ensureModel"]["model"]

    version = graphql(
        "mutation ($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { id version } } }",
        {"input": {
            "modelId": model["id"],
            "runId": run["id"],
            "externalId": "%s:%s" % (model_name, data_version),
            "artifactUri": "s3://models/%s/%s/model.pkl" % (model_name, data_version),
            "metrics": [{"key": "auc", "value": final["auc"]}, {"key": "loss", "value": final["loss"]}],
            "tags": [{"key": "dataVersion", "value": data_version}],
        }},
    )["createModelVersion"]["modelVersion"]

    print(json.dumps({
        "experimentId": experiment["id"], "runId": run["id"], "modelId": model["id"],
        "modelVersionId": version["id"], "version": version["version"],
    }))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HubError as error:
        print("train_and_register: %s" % error, file=sys.stderr)
        sys.exit(1)
