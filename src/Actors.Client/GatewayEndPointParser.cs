using System.Globalization;
using System.Net;

namespace Actors.Client;

/// <summary>Parses <c>host:port</c> gateway addresses.</summary>
internal static class GatewayEndPointParser
{
    /// <summary>Parses an IP endpoint (<c>127.0.0.1:30000</c>, <c>[::1]:30000</c>) or a DNS endpoint (<c>silo:30000</c>).</summary>
    public static bool TryParse(string? text, out EndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPEndPoint.TryParse(text, out IPEndPoint? ip) && ip.Port != 0 && text.Contains(':', StringComparison.Ordinal)
            && (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || text.StartsWith('[')))
        {
            endPoint = ip;
            return true;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        string host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535
            || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return false;
        }

        endPoint = new DnsEndPoint(host, port);
        return true;
    }
}
