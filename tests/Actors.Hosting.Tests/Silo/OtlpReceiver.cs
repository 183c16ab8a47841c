using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Tests.Silo;

/// <summary>
/// A tiny OTLP/HTTP collector on loopback: accepts <c>POST /v1/metrics</c> (http/protobuf) and keeps each body. The
/// protobuf body carries instrument names as UTF-8 strings, so a byte search finds them.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<byte[]> _bodies = [];

    private OtlpReceiver(WebApplication app) => _app = app;

    public string BaseAddress => _app.Urls.First();

    public static async Task<OtlpReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (receiver._bodies)
            {
                receiver._bodies.Add(body.ToArray());
            }

            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public int Exports
    {
        get
        {
            lock (_bodies)
            {
                return _bodies.Count;
            }
        }
    }

    /// <summary>True when any export received so far contains <paramref name="name"/> as UTF-8 bytes.</summary>
    public bool Received(string name)
    {
        byte[] needle = Encoding.UTF8.GetBytes(name);
        lock (_bodies)
        {
            return _bodies.Any(b => b.AsSpan().IndexOf(needle) >= 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
