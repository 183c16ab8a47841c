using Actors.Client;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Tests.Client;

public class ClientOptionsTests
{
    private static ValidateOptionsResult Validate(Action<ClientOptions> change)
    {
        var options = new ClientOptions();
        change(options);
        return new ClientOptionsValidator().Validate(Options.DefaultName, options);
    }

    [Fact]
    public void Validate_Defaults_SucceedWithLocalGateway()
    {
        Assert.True(Validate(_ => { }).Succeeded);
        Assert.Equal([ClientOptions.DefaultGateway], new ClientOptions().EffectiveGateways);
    }

    [Theory]
    [InlineData("127.0.0.1:30000")]
    [InlineData("silo:30000")]
    [InlineData("[::1]:30000")]
    [InlineData("my-host.example.com:1")]
    public void Validate_GoodGateway_Succeeds(string gateway) => Assert.True(Validate(o => o.Gateways.Add(gateway)).Succeeded);

    [Theory]
    [InlineData("silo")]
    [InlineData("silo:")]
    [InlineData("silo:0")]
    [InlineData("silo:70000")]
    [InlineData(":30000")]
    [InlineData("bad host:30000")]
    public void Validate_BadGateway_FailureNamesSetting(string gateway)
    {
        ValidateOptionsResult result = Validate(o => o.Gateways.Add(gateway));
        string failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Actors:Client:Gateways", failure, StringComparison.Ordinal);
        Assert.Contains($"'{gateway}'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadTimeoutsAndPolicy_EachNamed()
    {
        ValidateOptionsResult result = Validate(o =>
        {
            o.ResponseTimeout = TimeSpan.Zero;
            o.ConnectTimeout = TimeSpan.FromSeconds(-1);
            o.ConnectAttempts = 0;
            o.ConnectRetryDelay = TimeSpan.FromSeconds(-1);
            o.MaxFrameBytes = 10;
        });
        string[] failures = result.Failures!.ToArray();
        Assert.Equal(5, failures.Length);
        foreach (string setting in new[] { "ResponseTimeout", "ConnectTimeout", "ConnectAttempts", "ConnectRetryDelay", "MaxFrameBytes" })
        {
            Assert.Contains(failures, f => f.StartsWith($"Actors:Client:{setting} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Build_InvalidOptions_ThrowsNamingSetting()
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(
            () => new ClusterClientBuilder().UseGateway("nowhere").Build());
        Assert.Contains("Actors:Client:Gateways", ex.Message, StringComparison.Ordinal);
    }
}
