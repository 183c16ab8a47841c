using System.Text;

namespace Actors.Cluster.Messaging;

/// <summary>
/// Who this silo is on the silo-to-silo protocol: cluster id, name, the shared secret's bytes, and its incarnation
/// (0 until it joins; connections are refused until then). Thread-safe.
/// </summary>
internal sealed class LocalSiloIdentity(string clusterId, string name, string? secret)
{
    private long _incarnation;

    public string ClusterId { get; } = clusterId;

    public string Name { get; } = name;

    public byte[] Secret { get; } = Encoding.UTF8.GetBytes(secret ?? "");

    public long Incarnation
    {
        get => Interlocked.Read(ref _incarnation);
        set => Interlocked.Exchange(ref _incarnation, value);
    }

    /// <summary>The listener's advertised endpoint (<c>host:port</c>), set when it binds.</summary>
    public string Endpoint { get; set; } = "";
}
