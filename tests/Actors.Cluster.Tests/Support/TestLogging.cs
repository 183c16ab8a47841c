using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Tests.Support;

/// <summary>Silo logs on the console when ACTORS_TEST_LOGS=1 (for debugging a test run).</summary>
public static class TestLogging
{
    public static TestClusterBuilder WithConsoleLogsIfRequested(this TestClusterBuilder builder)
    {
        if (Environment.GetEnvironmentVariable("ACTORS_TEST_LOGS") == "1")
        {
            builder.ConfigureHost(h => h.ConfigureLogging(l => l.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }).SetMinimumLevel(LogLevel.Debug)));
        }

        return builder;
    }
}
