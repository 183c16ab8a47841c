using System.Net;
using System.Text.Json;

namespace Actors.Hosting.Tests.Silo;

/// <summary>Polls a silo's /health until a condition holds, with a bounded wait whose failure says what was awaited and what was last seen.</summary>
internal static class HealthPoller
{
    public static async Task<(HttpStatusCode Status, JsonElement Report)> UntilAsync(
        Func<string?> address, Func<HttpStatusCode, JsonElement, bool> condition, string what, int limitSeconds = 20)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
        string last = "no answer yet";
        while (true)
        {
            if (address() is { } baseAddress)
            {
                try
                {
                    using HttpResponseMessage response = await http.GetAsync($"{baseAddress}/health", limit.Token);
                    string body = await response.Content.ReadAsStringAsync(limit.Token);
                    last = $"{(int)response.StatusCode}: {body}";
                    using var document = JsonDocument.Parse(body);
                    JsonElement report = document.RootElement.Clone();
                    if (condition(response.StatusCode, report))
                    {
                        return (response.StatusCode, report);
                    }
                }
                catch (HttpRequestException ex)
                {
                    last = $"unreachable: {ex.Message}";
                }
                catch (OperationCanceledException) when (limit.IsCancellationRequested)
                {
                    break;
                }
            }

            try
            {
                await Task.Delay(20, limit.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"Waited {limitSeconds} s for /health: {what}; last seen {last}");
    }

    public static string Description(JsonElement report, string check) =>
        report.GetProperty("checks").GetProperty(check).GetProperty("description").GetString() ?? string.Empty;

    public static string Status(JsonElement report, string check) =>
        report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString() ?? string.Empty;
}
