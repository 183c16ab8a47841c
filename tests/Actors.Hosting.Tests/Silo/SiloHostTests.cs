using Actors.Hosting.Tests.Infrastructure;
using Actors.Invocation;
using Actors.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Tests.Silo;

public sealed class SiloHostTests
{
    private static IHost BuildHost(LifecycleLog log, Dictionary<string, string?>? settings = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton(log);
        builder.UseActors(silo => silo.AddGrain<NoteGrain>().AddMemoryGrainStorage());
        return builder.Build();
    }

    [Fact]
    public async Task UseActors_HostStarted_GrainsCallableAndSeamsRegistered()
    {
        using IHost host = BuildHost(new LifecycleLog());
        await host.StartAsync();

        INoteGrain note = host.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("n");
        await note.Write("hi");

        Assert.Equal("hi", await note.Read());
        Assert.Contains(typeof(INoteGrain), host.Services.GetRequiredService<GrainMethodRegistry>().Interfaces);
        Assert.NotNull(host.Services.GetRequiredService<IGrainCallInvoker>());
        Assert.IsType<JsonGrainSerializer>(host.Services.GetRequiredService<IGrainSerializer>());
        await host.StopAsync();
    }

    [Fact]
    public async Task UseActors_OnGenericHostBuilder_GrainsCallable()
    {
        using IHost host = new HostBuilder()
            .ConfigureServices(s => s.AddSingleton(new LifecycleLog()))
            .UseActors(silo => silo.AddGrain<NoteGrain>().AddMemoryGrainStorage())
            .Build();
        await host.StartAsync();

        INoteGrain note = host.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("n");
        await note.Write("x");

        Assert.Equal("x", await note.Read());
        await host.StopAsync();
    }

    [Fact]
    public async Task StopAsync_ActiveGrains_RunsOnDeactivateAsyncForEach()
    {
        var log = new LifecycleLog();
        using IHost host = BuildHost(log);
        await host.StartAsync();
        IGrainFactory factory = host.Services.GetRequiredService<IGrainFactory>();
        await factory.GetGrain<INoteGrain>("a").Read();
        await factory.GetGrain<INoteGrain>("b").Read();

        await host.StopAsync();

        Assert.Contains("deactivate:a:ShuttingDown", log.Events);
        Assert.Contains("deactivate:b:ShuttingDown", log.Events);
    }

    [Theory]
    [InlineData("ResponseTimeout", "00:00:00")]
    [InlineData("CollectionAge", "-00:01:00")]
    [InlineData("CollectionQuantum", "1.00:00:00")]
    [InlineData("ShutdownGracePeriod", "-00:00:01")]
    [InlineData("SiloName", " ")]
    public async Task StartAsync_InvalidSetting_FailsNamingTheSetting(string setting, string value)
    {
        using IHost host = BuildHost(new LifecycleLog(), new() { [$"{SiloOptions.SectionName}:{setting}"] = value });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"SiloOptions.{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
        => Assert.True(new SiloOptionsValidator().Validate(null, new SiloOptions()).Succeeded);
}
