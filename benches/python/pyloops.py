# A pure-Python workload in the spirit of pystone (records, branches, calls, string and list
# work), written for Flint's benchmarks. Usage: python3 pyloops.py [ROUNDS]
# Prints the checksum and the time of the work itself, in ms, on one line: "checksum ms".

import sys
import time


class Record:
    __slots__ = ("kind", "value", "name", "link")

    def __init__(self, kind, value, name, link=None):
        self.kind = kind
        self.value = value
        self.name = name
        self.link = link


def classify(n):
    if n % 15 == 0:
        return "both"
    if n % 5 == 0:
        return "five"
    if n % 3 == 0:
        return "three"
    return "none"


def step(record, k):
    kind = classify(record.value + k)
    if kind == "both":
        record.value = (record.value * 7 + k) % 10007
    elif kind == "five":
        record.value += len(record.name)
    elif kind == "three":
        record.value -= k % 11
    else:
        record.value ^= k & 0xFF
    record.kind = kind
    return record.value


def build_chain(length):
    head = None
    for i in range(length):
        head = Record("none", i * 31 % 97, "rec%03d" % i, head)
    return head


def walk(head, k):
    total = 0
    node = head
    while node is not None:
        total += step(node, k)
        node = node.link
    return total


def text_work(k):
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    joined = "-".join(w.upper() if (i + k) % 2 else w for i, w in enumerate(words))
    parts = joined.split("-")
    counts = {}
    for p in parts:
        key = p[0].lower()
        counts[key] = counts.get(key, 0) + len(p)
    return sum(counts.values()) + joined.count("A")


def numeric_work(k):
    acc = 0
    values = [(k * i) % 257 for i in range(64)]
    values.sort()
    for i, v in enumerate(values):
        if v & 1:
            acc += v * i
        else:
            acc -= v // (i + 1)
    return acc + max(values) - min(values)


def run(rounds):
    head = build_chain(50)
    checksum = 0
    for k in range(rounds):
        checksum = (checksum + walk(head, k) + text_work(k) + numeric_work(k)) % 1000000007
    return checksum


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    start = time.perf_counter()
    checksum = run(rounds)
    took = time.perf_counter() - start
    print(checksum, "%.3f" % (took * 1e3))


main()
