using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>
/// Configures a silo: its services and configuration. Storage providers (for example the write-ahead log) and
/// grain assemblies extend it with <c>Add...</c> extension methods.
/// </summary>
public interface ISiloBuilder
{
    /// <summary>The silo's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>The silo's configuration.</summary>
    IConfiguration Configuration { get; }
}
