using Actors.Hosting;
using Actors.Silo;
using Microsoft.Extensions.Options;
using Telemetry;

// The Actors silo process (appsettings.json, ACTORS__... variables, gateway, /health) hosting the telemetry sample.
WebApplication app = SiloApplication.Create(args, services => new SampleSiloBuilder(services).AddTelemetrySample());
try
{
    app.Services.GetService<IStartupValidator>()?.Validate();
    await app.StartAsync();
}
catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException or IOException)
{
    await Console.Error.WriteLineAsync($"Telemetry silo failed to start: {ex.Message}");
    return 1;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;

/// <summary>Adds to the silo's registrations after the product's own (configuration comes from ACTORS__ variables).</summary>
internal sealed class SampleSiloBuilder(IServiceCollection services) : ISiloBuilder
{
    public IServiceCollection Services => services;

    public IConfiguration Configuration { get; } = new ConfigurationBuilder().AddEnvironmentVariables().Build();
}
