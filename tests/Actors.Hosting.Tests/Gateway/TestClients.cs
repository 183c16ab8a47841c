using Actors.Client;
using Actors.Invocation;

namespace Actors.Hosting.Tests.Gateway;

public static class TestClients
{
    public static (IClusterClient Client, IGrainCallInvoker Invoker) Create(string address, Action<ClientOptions>? configure = null)
    {
        IClusterClient client = new ClusterClientBuilder()
            .UseGateway(address)
            .Configure(o =>
            {
                o.ConnectRetryDelay = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            })
            .Build();
        return (client, ((ClusterClient)client).Invoker);
    }
}
