using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Actors.Orleans.Silo.Tests;

/// <summary>An <see cref="ISiloBuilder"/> that only collects registrations, to resolve what an extension registers without a silo.</summary>
internal sealed class FakeSiloBuilder : ISiloBuilder
{
    public IServiceCollection Services { get; } = new ServiceCollection();

    public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
}
