#!/usr/bin/env python3
"""Runs `timeline extract` as a Spark stage and reads its results into a
typed DataFrame.

usage: timeline_spark.py INPUT.jsonl [--binary PATH] [--partitions N]
                         [--master local[2]] [--out DIR] [--check]

INPUT.jsonl holds one document a line: {"doc": ..., "dct": ..., "text": ...}.
Each partition's lines are piped through the binary (RDD.pipe), which
answers every line with exactly one line, in order: a result
{"doc", "dct", "timexes": [...]} or an error record {"doc", "line",
"error"} (`line` counts within the partition's input). So the output zips
back onto the input, and one bad line does not fail the job.

The binary is given by absolute path: pyspark runs piped commands with an
environment of its own, not the shell's PATH. `--check` also runs the binary
once over the whole file and exits 1 unless Spark's output, in partition
order, is the same bytes.
"""
import argparse
import os
import subprocess
import sys

from pyspark.sql import SparkSession
from pyspark.sql.types import (
    ArrayType,
    LongType,
    StringType,
    StructField,
    StructType,
)

# The output of `timeline extract --format jsonl` (README, "extract").
INTERVAL = StructType([
    StructField("start", StringType()),
    StructField("end", StringType()),
])
TIMEX = StructType([
    StructField("start", LongType()),
    StructField("end", LongType()),
    StructField("text", StringType()),
    StructField("type", StringType()),
    StructField("value", StringType()),
    StructField("mod", StringType()),
    StructField("interval", INTERVAL),
    StructField("tz", StringType()),
    StructField("tzid", StringType()),
    StructField("rrule", StringType()),
])
SCHEMA = StructType([
    StructField("doc", StringType()),
    StructField("dct", StringType()),
    StructField("timexes", ArrayType(TIMEX)),
    StructField("line", LongType()),
    StructField("error", StringType()),
])


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input")
    p.add_argument("--binary", default="target/release/timeline")
    p.add_argument("--partitions", type=int, default=2)
    p.add_argument("--master", default="local[2]")
    p.add_argument("--out", help="write the typed results here as Parquet")
    p.add_argument("--check", action="store_true")
    args = p.parse_args(argv)

    binary = os.path.abspath(args.binary)
    command = [binary, "extract", "--input-format", "jsonl", "--format", "jsonl", "--jobs", "1"]
    spark = (
        SparkSession.builder.master(args.master)
        .appName("timeline-extract")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    lines = spark.sparkContext.textFile(os.path.abspath(args.input), minPartitions=args.partitions)
    # TZ fixed: results must not depend on the machine a task lands on.
    results = lines.pipe(" ".join(command), env={"TZ": "UTC"}, checkCode=True)
    results.cache()
    frame = spark.read.schema(SCHEMA).json(results)
    docs = frame.filter(frame.error.isNull()).count()
    errors = frame.filter(frame.error.isNotNull()).count()
    print(f"{results.getNumPartitions()} partitions, {docs} documents, {errors} error records")
    if args.out:
        frame.write.mode("overwrite").parquet(args.out)

    status = 0
    if args.check:
        spark_bytes = "".join(line + "\n" for line in results.collect()).encode()
        with open(args.input, "rb") as f:
            single = subprocess.run(command, stdin=f, capture_output=True, env={"TZ": "UTC"}, check=True)
        if spark_bytes == single.stdout:
            print("same bytes as a single run")
        else:
            print("Spark's output differs from a single run", file=sys.stderr)
            status = 1
    spark.stop()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
