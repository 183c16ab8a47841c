using System.Net;

namespace Actors.Silo;

/// <summary>
/// <c>Actors.Silo --healthcheck</c>: GETs this silo's own health endpoint and exits 0 when it answers 200, else 1.
/// The container HEALTHCHECK uses it because the aspnet runtime image ships neither curl nor wget. It reads the same
/// configuration (appsettings.json, environment) as the silo, so ports and paths cannot disagree.
/// </summary>
public static class SiloHealthProbe
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--healthcheck";

    /// <summary>True when <paramref name="args"/> asks for a probe.</summary>
    public static bool IsRequested(string[] args) => args.Contains(Switch, StringComparer.Ordinal);

    /// <summary>Runs the probe; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a != Switch).ToArray())
            .Build();
        SiloHealthOptions health = configuration.GetSection(SiloHealthOptions.SectionName).Get<SiloHealthOptions>() ?? new SiloHealthOptions();
        IPAddress address = IPAddress.Parse(health.BindAddress);
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        var uri = new Uri($"http://{new IPEndPoint(address, health.Port)}{health.Path}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using HttpResponseMessage response = await http.GetAsync(uri);
            string body = await response.Content.ReadAsStringAsync();
            Console.WriteLine($"{uri} -> {(int)response.StatusCode}: {body}");
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{uri} -> unreachable: {ex.Message}");
            return 1;
        }
    }
}
