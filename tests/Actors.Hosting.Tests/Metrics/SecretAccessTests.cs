using System.Net;
using System.Text;
using Actors.Hosting.Gateway;
using Actors.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Metrics;

public sealed class SecretAccessTests
{
    private static HttpContext Request(string remote, string? secret, string? authorization = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<GatewayOptions>().Configure(o => o.Secret = secret);
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Refusal_FromLoopback_AllowedWithoutCredentials(string remote)
        => Assert.Null(SecretAccess.Refusal(Request(remote, "s3cret"), refuseWithoutSecret: true));

    [Fact]
    public async Task Refusal_BeyondLoopbackWithoutCredentials_Is401WithABasicChallenge()
    {
        HttpContext context = Request("10.1.2.3", "s3cret");
        context.Response.Body = new MemoryStream();

        IResult refusal = SecretAccess.Refusal(context, refuseWithoutSecret: false)!;
        await refusal.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.StartsWith("Basic realm=", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer s3cret", true)]
    [InlineData("bearer s3cret", true)]
    [InlineData("Bearer wrong", false)]
    [InlineData("Bearer s3cret2", false)]
    [InlineData("Basic !!notbase64", false)]
    public void Refusal_BeyondLoopbackWithBearer_AllowsOnlyTheSecret(string authorization, bool allowed)
        => Assert.Equal(allowed, SecretAccess.Refusal(Request("10.1.2.3", "s3cret", authorization), refuseWithoutSecret: true) is null);

    [Fact]
    public void Refusal_BeyondLoopbackWithBasic_TakesThePasswordWhateverTheUser()
    {
        Assert.Null(SecretAccess.Refusal(Request("192.0.2.7", "s3cret", Basic("anyone", "s3cret")), refuseWithoutSecret: true));
        Assert.NotNull(SecretAccess.Refusal(Request("192.0.2.7", "s3cret", Basic("s3cret", "nope")), refuseWithoutSecret: true));
    }

    [Fact]
    public async Task Refusal_BeyondLoopbackOnASiloWithoutSecret_DashboardRefusedMetricsServed()
    {
        HttpContext context = Request("10.1.2.3", secret: null);
        context.Response.Body = new MemoryStream();

        IResult dashboard = SecretAccess.Refusal(context, refuseWithoutSecret: true)!;
        await dashboard.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Null(SecretAccess.Refusal(Request("10.1.2.3", secret: null), refuseWithoutSecret: false));
    }
}
