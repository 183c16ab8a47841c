using System.Net;
using Actors.Hosting.Gateway;
using Actors.Invocation;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>A host running only the gateway over a <see cref="FakeGrainInvoker"/> (no runtime), on an ephemeral loopback port.</summary>
public sealed class GatewayTestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private GatewayTestSilo(IHost host, FakeGrainInvoker invoker, CapturingLoggerProvider logs)
    {
        _host = host;
        Invoker = invoker;
        Logs = logs;
    }

    public FakeGrainInvoker Invoker { get; }

    public CapturingLoggerProvider Logs { get; }

    public IGatewayInfo Info => _host.Services.GetRequiredService<IGatewayInfo>();

    public IPEndPoint EndPoint => Info.ListeningEndPoint ?? throw new InvalidOperationException("The gateway is not listening.");

    public string Address => EndPoint.ToString();

    public static async Task<GatewayTestSilo> StartAsync(Action<GatewayOptions>? configure = null, FakeGrainInvoker? invoker = null)
    {
        invoker ??= new FakeGrainInvoker();
        var logs = new CapturingLoggerProvider();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        var registry = new GrainMethodRegistry();
        registry.RegisterInterface(typeof(ITestGatewayGrain));
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<IGrainCallInvoker>(invoker);
        builder.Services.AddSingleton<IGrainSerializer, JsonGrainSerializer>();
        builder.Services.AddActorsGateway(o =>
        {
            o.Port = 0;
            configure?.Invoke(o);
        });
        IHost host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new GatewayTestSilo(host, invoker, logs);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
