using System.Net;
using System.Security.Cryptography;
using System.Text;
using Actors.Hosting.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Http;

/// <summary>
/// Protects the silo's operator endpoints (dashboard, <c>/metrics</c>) with the gateway's shared secret
/// (<see cref="GatewayOptions.Secret"/>) for every request that does not come over loopback.
/// </summary>
/// <remarks>
/// A request from loopback (the silo's own host or container) is always allowed. Any other request must carry the
/// secret as HTTP Basic credentials (any user name, the secret as password: what a browser prompts for) or as
/// <c>Authorization: Bearer &lt;secret&gt;</c> (Prometheus' <c>authorization</c> or <c>basic_auth</c> scrape settings);
/// otherwise it gets 401 with a Basic challenge. The secret travels in clear text: put TLS in front (a reverse proxy)
/// when the network is not trusted. Comparisons take constant time.
/// </remarks>
public static class SecretAccess
{
    /// <summary>The realm of the Basic challenge.</summary>
    public const string Realm = "Actors silo";

    /// <summary>
    /// Adds the check to the endpoint. With <paramref name="refuseWithoutSecret"/>, a request from beyond loopback to a
    /// silo that has no secret is refused (403) instead of served.
    /// </summary>
    public static RouteHandlerBuilder RequireSecretBeyondLoopback(this RouteHandlerBuilder builder, bool refuseWithoutSecret)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(async (context, next) => Refusal(context.HttpContext, refuseWithoutSecret) ?? await next(context).ConfigureAwait(false));
    }

    /// <summary>True when the request came from a loopback address.</summary>
    public static bool IsLoopback(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IPAddress? remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            // In-process test servers have no remote address: nothing came over a network.
            return true;
        }

        return IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }

    /// <summary>True when <paramref name="authorization"/> (an <c>Authorization</c> header value) carries <paramref name="secret"/>.</summary>
    public static bool Presents(string? authorization, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(authorization))
        {
            return false;
        }

        string? presented = null;
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        else if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                string pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                int colon = pair.IndexOf(':', StringComparison.Ordinal);
                presented = colon < 0 ? null : pair[(colon + 1)..];
            }
            catch (FormatException)
            {
                presented = null;
            }
        }

        return presented is not null && FixedTimeEquals(presented, secret);
    }

    internal static IResult? Refusal(HttpContext context, bool refuseWithoutSecret)
    {
        if (IsLoopback(context))
        {
            return null;
        }

        string? secret = context.RequestServices.GetService<IOptions<GatewayOptions>>()?.Value.Secret;
        if (string.IsNullOrEmpty(secret))
        {
            return refuseWithoutSecret
                ? Results.Text("This page is served beyond loopback only when the silo has a gateway secret (Actors:Gateway:Secret).\n", statusCode: StatusCodes.Status403Forbidden)
                : null;
        }

        if (Presents(context.Request.Headers.Authorization, secret))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        return Results.Text("The silo's gateway secret is required: HTTP Basic (any user, the secret as password) or 'Authorization: Bearer <secret>'.\n",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    private static bool FixedTimeEquals(string presented, string secret)
        => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
