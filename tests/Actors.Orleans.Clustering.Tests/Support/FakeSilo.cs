using System.Net;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>An <see cref="ILocalSiloDetails"/> for starting a <c>ClusterReplica</c> without a silo.</summary>
internal sealed class FakeSilo(string name, string clusterId, int port) : ILocalSiloDetails
{
    public string Name => name;

    public string ClusterId => clusterId;

    public string DnsHostName => "localhost";

    public SiloAddress SiloAddress { get; } = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    public SiloAddress GatewayAddress => SiloAddress;
}
