using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Orleans.Silo.Health;

/// <summary>The /health body: <c>{"status": ..., "checks": {"name": {"status", "description", "data": {...}}}}</c>.</summary>
internal static class HealthJson
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new Dictionary<string, object?>
                {
                    ["status"] = entry.Value.Status.ToString(),
                    ["description"] = entry.Value.Description,
                    ["error"] = entry.Value.Exception?.Message,
                    ["data"] = entry.Value.Data,
                }),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Options, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
}
