"""A fault-injecting TCP proxy on loopback, for link cuts between processes (scripts/cluster-link-cut.sh).

A LinkProxy listens on a loopback port and forwards every connection to a target port (a silo's real listener, its
gateway, PostgreSQL). It knows who is at each end of a connection: the target's name is the proxy's own, the source's
is the name of the process that owns the connecting socket (found through /proc: the socket's inode in /proc/net/tcp,
then the process among the ones named by `owners()` that holds it), or "client" when none of them does.

A link is cut when either end's name is in the proxy's cut set (`cut(names, mode)`), until `heal()`:
  * "blackhole": the link drops every packet. TCP never loses bytes inside a connection, so as the ends see it the
    connection stalls: nothing is delivered in either direction (the proxy stops reading, so the sender's buffers fill
    and its writes block), new connections open but carry nothing; after the heal the held bytes are delivered, as
    TCP's retransmissions would, unless an end gave up and closed the connection meanwhile (then the other end sees it
    closed).
  * "reset": every connection of the link is reset (RST) at once, and new ones are reset as they open, until the heal.
Thread per direction of each connection; fine for the few dozen connections of a three-silo cluster.
"""
import os, socket, struct, threading

MODES = ("blackhole", "reset")


def _hex_endpoint(port):
    return f"0100007F:{port:04X}"


def socket_inode(local_port, remote_port):
    """The inode of the IPv4 loopback socket 127.0.0.1:local_port -> 127.0.0.1:remote_port, or None."""
    try:
        with open("/proc/net/tcp") as table:
            next(table)
            for line in table:
                fields = line.split()
                if fields[1] == _hex_endpoint(local_port) and fields[2] == _hex_endpoint(remote_port):
                    return fields[9]
    except OSError:
        return None
    return None


def owner_of(inode, owners):
    """The name of the process (owners: {pid: name}) holding socket inode, or None."""
    target = f"socket:[{inode}]"
    for pid, name in owners.items():
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                        return name
                except OSError:
                    continue
        except OSError:
            continue
    return None


class _Connection:
    def __init__(self, proxy, downstream, source):
        self.proxy, self.downstream, self.source = proxy, downstream, source
        self.upstream = None
        self.closed = False
        self.pumps = 2

    def names(self):
        return (self.source, self.proxy.name)

    def start(self):
        try:
            self.upstream = socket.create_connection(("127.0.0.1", self.proxy.target_port), timeout=5)
            self.upstream.settimeout(None)
        except OSError:
            self.close(reset=True)    # the target is down (a killed silo): the caller sees a reset, as without a proxy
            return
        for a, b in ((self.downstream, self.upstream), (self.upstream, self.downstream)):
            threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    def pump(self, src, dst):
        try:
            while True:
                if not self.proxy.wait_passable(self):
                    return
                data = src.recv(65536)
                if not data:
                    try:
                        dst.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    with self.proxy.lock:
                        self.pumps -= 1
                        done = self.pumps == 0
                    if done:
                        self.close(reset=False)
                    return
                if not self.proxy.wait_passable(self):
                    return
                dst.sendall(data)
        except OSError:
            self.close(reset=False)

    def close(self, reset):
        with self.proxy.lock:
            if self.closed:
                return
            self.closed = True
            self.proxy.connections.discard(self)
            self.proxy.lock.notify_all()
        for s in (self.downstream, self.upstream):
            if s is None:
                continue
            try:
                if reset:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                # Wakes a pump blocked reading it (a close alone would not); SHUT_RD sends nothing, so with the zero
                # linger the close below sends a reset, not a FIN.
                s.shutdown(socket.SHUT_RD if reset else socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass


class LinkProxy:
    """Listens on 127.0.0.1:port (a free one by default) and forwards to 127.0.0.1:target_port."""

    def __init__(self, name, target_port, owners=None, port=0):
        """owners: a function returning {pid: name} of the processes whose connections are told apart; None: every
        source is "-" (a proxy that serves one process, such as a silo's own link to PostgreSQL)."""
        self.name, self.target_port, self.owners = name, target_port, owners
        self.lock = threading.Condition()
        self.connections = set()
        self.cut_names, self.mode = set(), None
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                downstream, (_, source_port) = self.listener.accept()
            except OSError:
                return
            if self.owners is None:
                source = "-"
            else:
                inode = socket_inode(source_port, self.port)
                source = (owner_of(inode, self.owners()) if inode else None) or "client"
            connection = _Connection(self, downstream, source)
            with self.lock:
                self.accepted += 1
                self.connections.add(connection)
                refused = self._is_cut(connection) and self.mode == "reset"
            if refused:
                connection.close(reset=True)
            else:
                connection.start()

    def _is_cut(self, connection):
        return bool(self.cut_names.intersection(connection.names()))

    def wait_passable(self, connection):
        """Blocks while the connection's link is blackholed; False once the connection is closed."""
        with self.lock:
            while not connection.closed and self._is_cut(connection) and self.mode == "blackhole":
                self.lock.wait()
            return not connection.closed

    def cut(self, names, mode):
        """Cuts every link with an end named in names (this proxy's name cuts all of its links)."""
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: expected one of {MODES}")
        with self.lock:
            self.cut_names, self.mode = set(names), mode
            doomed = [c for c in self.connections if self._is_cut(c)] if mode == "reset" else []
        for connection in doomed:
            connection.close(reset=True)

    def heal(self):
        with self.lock:
            self.cut_names, self.mode = set(), None
            self.lock.notify_all()

    def describe(self):
        """{source name: open connections} through this proxy."""
        with self.lock:
            counts = {}
            for c in self.connections:
                counts[c.source] = counts.get(c.source, 0) + 1
            return counts

    def stop(self):
        self.stopped = True
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            connections = list(self.connections)
            self.lock.notify_all()
        for c in connections:
            c.close(reset=False)
