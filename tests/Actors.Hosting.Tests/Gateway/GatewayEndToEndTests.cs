using System.Diagnostics;
using Actors.Client;
using Actors.Invocation;
using Actors.TestingHost;
using Xunit.Abstractions;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GetGrain_ThroughGateway_CallsRealGrainAndKeepsState()
    {
        await using RealSilo silo = await RealSilo.StartAsync();
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).Build();
        ICounterGrain counter = client.GetGrain<ICounterGrain>("alice");
        Assert.Equal(5, await counter.Add(5));
        Assert.Equal(7, await counter.Add(2));
        CounterSnapshot snapshot = await counter.Snapshot();
        Assert.Equal("alice", snapshot.Key);
        Assert.Equal(7, snapshot.Value);
        Assert.Equal([5, 2], snapshot.History);
        Assert.Equal(10, await counter.AddVia("bob", 10));
        Assert.Equal(10, (await client.GetGrain<ICounterGrain>("bob").Snapshot()).Value);
    }

    [Fact]
    public async Task GetGrain_GrainThrows_ClientGetsTheExceptionTypeMessageAndParamName()
    {
        await using RealSilo silo = await RealSilo.StartAsync();
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).Build();
        ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetGrain<ICounterGrain>("x").Fail("too big"));
        Assert.StartsWith("too big", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGrain_ConcurrentCallsFromManyClients_TurnsSerializedPerGrain()
    {
        await using RealSilo silo = await RealSilo.StartAsync();
        IClusterClient[] clients = Enumerable.Range(0, 8).Select(_ => new ClusterClientBuilder().UseGateway(silo.EndPoint).Build()).ToArray();
        try
        {
            await Await.WithinAsync(Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 100).Select(_ => c.GetGrain<ICounterGrain>("shared").Add(1))))
                .ContinueWith(t => t.Result.Length, TaskScheduler.Default), "800 concurrent increments");
            Assert.Equal(800, (await clients[0].GetGrain<ICounterGrain>("shared").Snapshot()).Value);
        }
        finally
        {
            foreach (IClusterClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task GetGrain_SiloRestartedOnSamePort_ClientReconnects()
    {
        // A reserved port: a system-chosen one could be handed to another process's connection while the silo is down.
        using LoopbackPortReservation reservation = LoopbackPortReservation.Reserve() ?? throw new InvalidOperationException("no port to reserve on this system");
        int port = reservation.Port;
        RealSilo silo = await RealSilo.StartAsync(port);
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).Configure(o => o.ConnectAttempts = 1).Build();
        Assert.Equal(1, await client.GetGrain<ICounterGrain>("r").Add(1));
        await silo.DisposeAsync();
        await Await.UntilAsync(() => !client.IsConnected, () => "the client to notice the silo stopped");
        await using RealSilo restarted = await RealSilo.StartAsync(port);
        // Volatile grain: the restarted silo starts from zero.
        Assert.Equal(3, await client.GetGrain<ICounterGrain>("r").Add(3));
    }

    [Fact]
    public async Task Measure_GatewayCallsPerSecond_ReportsRate()
    {
        await using RealSilo silo = await RealSilo.StartAsync();
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).Build();
        ICounterGrain[] grains = Enumerable.Range(0, 64).Select(i => client.GetGrain<ICounterGrain>($"m{i}")).ToArray();
        await Task.WhenAll(grains.Select(g => g.Add(0)));

        const int sequential = 2000;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < sequential; i++)
        {
            await grains[0].Add(1);
        }

        double sequentialRate = sequential / watch.Elapsed.TotalSeconds;
        const int concurrent = 20_000;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async g =>
        {
            for (int i = 0; i < concurrent / 64; i++)
            {
                await grains[g].Add(1);
            }
        }));
        double concurrentRate = (concurrent / 64 * 64) / watch.Elapsed.TotalSeconds;
        output.WriteLine($"gateway calls/s: sequential (1 in flight) {sequentialRate:F0}; 64 in flight over one connection {concurrentRate:F0}");
        Assert.Equal(sequential + (concurrent / 64), (await grains[0].Snapshot()).Value);
    }
}
