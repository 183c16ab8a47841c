using Actors.Orleans.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The silo's write-ahead log as an ASP.NET Core / .NET health check.</summary>
public static class WriteAheadLogHealthCheckBuilderExtensions
{
    /// <summary>The health check's default name.</summary>
    public const string DefaultName = "write-ahead-log";

    /// <summary>
    /// Adds a check that is healthy while the silo's write-ahead log is open, and reports <paramref name="failureStatus"/>
    /// (default <see cref="HealthStatus.Unhealthy"/>) while it opens (recovery), after it closed or when it failed. The
    /// report's data: <c>state</c>, <c>directory</c>, <c>streams</c>, <c>durableLsn</c>, <c>openMilliseconds</c>.
    /// </summary>
    /// <remarks>The silo must add the log (<c>AddWriteAheadLog</c>, or configuration); the check resolves it when it runs.</remarks>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What the check reports when the log is not open; null for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    public static IHealthChecksBuilder AddWriteAheadLogHealthCheck(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.AddCheck<WriteAheadLogHealthCheck>(name, failureStatus, tags ?? []);
    }
}
