"""Orleans grain id -> write-ahead-log partition, as docs/cluster-orleans.md ("Grain -> partition") specifies it.

partition = XxHash32(seed 0; int32 LE length of the grain type's bytes || grain type bytes || key bytes) mod count.
An independent implementation of the documented function (not a copy of GrainPartitions.cs), checked against the
values the document pins; the cluster harness uses it to name the grains a killed silo led.
"""
import struct

_P1, _P2, _P3, _P4, _P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
_MASK = 0xFFFFFFFF
PINNED = [("ledger", "0", 105018489), ("ledger", "1", 510860571), ("account", "alice", 1152895380)]


def _rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & _MASK


def xxh32(data, seed=0):
    n = len(data)
    i = 0
    if n >= 16:
        v = [(seed + _P1 + _P2) & _MASK, (seed + _P2) & _MASK, seed & _MASK, (seed - _P1) & _MASK]
        while i + 16 <= n:
            for lane in range(4):
                word = struct.unpack_from("<I", data, i + 4 * lane)[0]
                v[lane] = (_rotl((v[lane] + word * _P2) & _MASK, 13) * _P1) & _MASK
            i += 16
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & _MASK
    else:
        h = (seed + _P5) & _MASK
    h = (h + n) & _MASK
    while i + 4 <= n:
        h = (_rotl((h + struct.unpack_from("<I", data, i)[0] * _P3) & _MASK, 17) * _P4) & _MASK
        i += 4
    while i < n:
        h = (_rotl((h + data[i] * _P5) & _MASK, 11) * _P1) & _MASK
        i += 1
    h ^= h >> 15
    h = (h * _P2) & _MASK
    h ^= h >> 13
    h = (h * _P3) & _MASK
    h ^= h >> 16
    return h


def grain_hash(grain_type, key):
    t = grain_type.encode("utf-8")
    return xxh32(struct.pack("<i", len(t)) + t + key.encode("utf-8"))


def partition(grain_type, key, count):
    return grain_hash(grain_type, key) % count


def check_pinned():
    """Raises AssertionError naming the first pinned value this implementation does not reproduce."""
    for grain_type, key, expected in PINNED:
        actual = grain_hash(grain_type, key)
        assert actual == expected, f"grain_partitions: {grain_type}/{key} hashes to {actual}, docs/cluster-orleans.md pins {expected}"


if __name__ == "__main__":
    check_pinned()
    print("pinned values reproduced:", ", ".join(f"{t}/{k} -> {v} (partition {v % 64} of 64)" for t, k, v in PINNED))
