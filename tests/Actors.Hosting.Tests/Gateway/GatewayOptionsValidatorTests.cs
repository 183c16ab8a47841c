using Actors.Hosting.Gateway;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(Action<GatewayOptions> change)
    {
        var options = new GatewayOptions();
        change(options);
        return new GatewayOptionsValidator().Validate(Options.DefaultName, options);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validate(_ => { }).Succeeded);
        Assert.Equal(GatewayOptions.DefaultPort, new GatewayOptions().Port);
        Assert.Equal("127.0.0.1", new GatewayOptions().BindAddress);
    }

    [Theory]
    [InlineData("Port", "-1", "Actors:Gateway:Port")]
    [InlineData("Port", "65536", "Actors:Gateway:Port")]
    [InlineData("BindAddress", "not-an-ip", "Actors:Gateway:BindAddress")]
    [InlineData("BindAddress", "", "Actors:Gateway:BindAddress")]
    [InlineData("MaxFrameBytes", "100", "Actors:Gateway:MaxFrameBytes")]
    [InlineData("MaxFrameBytes", "1073741824", "Actors:Gateway:MaxFrameBytes")]
    [InlineData("RequestTimeout", "00:00:00", "Actors:Gateway:RequestTimeout")]
    [InlineData("HandshakeTimeout", "-00:00:01", "Actors:Gateway:HandshakeTimeout")]
    [InlineData("FrameReceiveTimeout", "00:00:00", "Actors:Gateway:FrameReceiveTimeout")]
    [InlineData("DrainTimeout", "-00:00:01", "Actors:Gateway:DrainTimeout")]
    [InlineData("MaxConcurrentRequestsPerConnection", "0", "Actors:Gateway:MaxConcurrentRequestsPerConnection")]
    [InlineData("MaxConnections", "0", "Actors:Gateway:MaxConnections")]
    public void Validate_BadValue_FailureNamesSetting(string property, string value, string setting)
    {
        ValidateOptionsResult result = Validate(o =>
        {
            System.Reflection.PropertyInfo info = typeof(GatewayOptions).GetProperty(property)!;
            object converted = info.PropertyType == typeof(TimeSpan)
                ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
                : info.PropertyType == typeof(int) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value;
            info.SetValue(o, converted);
        });
        Assert.True(result.Failed);
        string failure = Assert.Single(result.Failures!);
        Assert.StartsWith(setting + " ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_InvalidPort_FailsWithSettingName()
    {
        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(
            () => GatewayTestSilo.StartAsync(o => o.Port = 70000));
        Assert.Contains("Actors:Gateway:Port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_PortInUse_FailsNamingEndpoint()
    {
        await using GatewayTestSilo first = await GatewayTestSilo.StartAsync();
        int port = first.EndPoint.Port;
        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayTestSilo.StartAsync(o => o.Port = port));
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actors:Gateway:Port", ex.Message, StringComparison.Ordinal);
    }
}
