# Minimal diagnostics-IPC client: starts an EventPipe session for the System.Diagnostics.Metrics provider with the
# filter arguments dotnet-counters uses, reads the nettrace stream for N seconds, and lists which instrument names
# appear in the event payloads (UTF-16LE strings). Not a nettrace parser: a byte search.
# Usage: python3 scripts/eventpipe-counters.py <pid> <seconds> <Meter1,Meter2,...>   (see docs/operations.md, Metrics)
import glob, os, re, socket, struct, sys, time, uuid
pid = int(sys.argv[1]); seconds = float(sys.argv[2]); meters = sys.argv[3]
path = glob.glob(f"/tmp/dotnet-diagnostic-{pid}-*-socket")[0]
def ustr(s):
    if s is None: return struct.pack("<I", 0)
    return struct.pack("<I", len(s) + 1) + (s + "\0").encode("utf-16-le")
session = str(uuid.uuid4())
filt = f"SessionId={session};Metrics={meters};RefreshInterval=1;MaxTimeSeries=1000;MaxHistograms=10;ClientId={uuid.uuid4()}"
payload = struct.pack("<IIB", 256, 1, 0)  # circular buffer MB, format NetTrace, requestRundown false
payload += struct.pack("<I", 1) + struct.pack("<QI", 0x3, 4) + ustr("System.Diagnostics.Metrics") + ustr(filt)
header = b"DOTNET_IPC_V1\0" + struct.pack("<HBBH", 20 + len(payload), 0x02, 0x03, 0)  # EventPipe / CollectTracing2
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); s.sendall(header + payload)
resp = s.recv(28)
assert resp[:14] == b"DOTNET_IPC_V1\0" and resp[16] == 0xFF and resp[17] == 0x00, resp
session_id = struct.unpack("<Q", resp[20:28])[0]
data = bytearray(); s.settimeout(0.5); end = time.time() + seconds
while time.time() < end:
    try:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    except socket.timeout:
        pass
stop = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); stop.connect(path)
stop.sendall(b"DOTNET_IPC_V1\0" + struct.pack("<HBBH", 28, 0x02, 0x01, 0) + struct.pack("<Q", session_id)); stop.close(); s.close()
text = data.decode("utf-16-le", errors="ignore") + data[1:].decode("utf-16-le", errors="ignore")
from collections import Counter
names = Counter(re.findall(r"actors\.[a-z_.]*[a-z]", text))
print(f"EventPipe session {session_id}: {len(data)} bytes of nettrace in {seconds:.0f} s; instrument names in the events (occurrences):")
for n in sorted(names): print(f"  {n:40} {names[n]}")
