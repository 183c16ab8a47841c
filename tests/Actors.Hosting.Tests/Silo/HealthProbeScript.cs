using System.Diagnostics;
using System.Globalization;

namespace Actors.Hosting.Tests.Silo;

/// <summary>Runs the silo's container health probe (silo/Actors.Silo/healthcheck.sh, copied next to the tests) as the image does.</summary>
public static class HealthProbeScript
{
    public static async Task<(int Code, string Output, TimeSpan Elapsed)> RunAsync(int port, string bindAddress = "127.0.0.1", string path = "/health")
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(AppContext.BaseDirectory, "healthcheck.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ACTORS__HEALTH__PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["ACTORS__HEALTH__BINDADDRESS"] = bindAddress;
        info.Environment["ACTORS__HEALTH__PATH"] = path;
        var clock = Stopwatch.StartNew();
        using Process probe = Process.Start(info)!;
        Task<string> stdout = probe.StandardOutput.ReadToEndAsync();
        Task<string> stderr = probe.StandardError.ReadToEndAsync();
        await probe.WaitForExitAsync();
        return (probe.ExitCode, await stdout + await stderr, clock.Elapsed);
    }
}
