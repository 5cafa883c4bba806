"""A scenario's `dotnet` producer: librdkafka (the library Confluent.Kafka wraps), through
confluent-kafka's Producer, driven by the oracle over a line protocol.

argv[1]: the librdkafka configuration as a JSON object. Standard input, one JSON object a
line: {"op": "metadata", "topics": [...]} warms the metadata up, {"op": "produce", "id",
"topic", "key", "value"} sends a record. Standard output: {"ev": "ready"} and one
{"ev": "delivery", "id", "partition", "offset", "error"} per delivery report. End of input
(the oracle is gone) ends the process at once.
"""

import json
import os
import sys
import threading

from confluent_kafka import KafkaException, Producer

_lock = threading.Lock()


def emit(obj):
    with _lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def main():
    conf = json.loads(sys.argv[1])
    # A fatal error (an idempotent producer's lost sequence) is told here and the producer
    # goes on polling, so that the delivery reports it still makes arrive: without an
    # error_cb, poll() raises it and the polling thread died with it.
    conf["error_cb"] = lambda err: sys.stderr.write(f"error_cb: {err}\n")
    producer = Producer(conf)

    def poll_forever():
        while True:
            try:
                producer.poll(0.02)
            except KafkaException as e:
                sys.stderr.write(f"poll: {e}\n")

    threading.Thread(target=poll_forever, daemon=True).start()
    emit({"ev": "ready"})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "metadata":
            for t in cmd["topics"]:
                producer.list_topics(t, timeout=10)
            emit({"ev": "metadata"})
        elif cmd["op"] == "produce":
            rid = cmd["id"]

            def report(err, msg, rid=rid):
                partition = msg.partition() if msg.partition() >= 0 else None
                offset = msg.offset() if err is None and msg.offset() >= 0 else None
                emit({"ev": "delivery", "id": rid, "partition": partition, "offset": offset,
                      "error": None if err is None else err.name()})

            key = cmd.get("key")
            value = cmd.get("value")
            try:
                producer.produce(cmd["topic"],
                                 key=None if key is None else key.encode("utf-8"),
                                 value=None if value is None else value.encode("utf-8"),
                                 on_delivery=report)
            except KafkaException as e:
                # Refused at once (after a fatal error: _FATAL): a report with no partition,
                # as rd_kafka_produce's error is told by Confluent.Kafka's ProduceAsync.
                emit({"ev": "delivery", "id": rid, "partition": None, "offset": None,
                      "error": e.args[0].name()})
    os._exit(0)


if __name__ == "__main__":
    main()
