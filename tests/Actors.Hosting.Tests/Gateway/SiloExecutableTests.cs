using System.Net.Http.Json;
using System.Text.Json;
using Actors.Client;
using Actors.Hosting.Gateway;
using Actors.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Tests.Gateway;

public sealed class SiloExecutableTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-silo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string[] Args(params string[] extra) =>
    [
        $"--Actors:DataDirectory={_directory}",
        "--Actors:Gateway:Port=0",
        "--Actors:Health:Port=0",
        .. extra,
    ];

    [Fact]
    public async Task Create_ValidConfiguration_HealthOkAndGatewayAcceptsClients()
    {
        await using WebApplication app = SiloApplication.Create(Args("--Actors:Gateway:Secret=abc"));
        await app.StartAsync();
        string health = SiloApplication.HealthAddresses(app).Single();
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.GetAsync($"{health}/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        JsonElement report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("gateway").GetProperty("status").GetString());
        Assert.Contains(_directory, report.GetProperty("checks").GetProperty("data-directory").GetProperty("description").GetString(), StringComparison.Ordinal);

        System.Net.IPEndPoint gateway = app.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint!;
        Assert.Equal(System.Net.IPAddress.Loopback, gateway.Address);
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(gateway).UseSecret("abc").Build();
        await client.ConnectAsync();
        Assert.True(client.IsConnected);
        Assert.True(File.Exists(Path.Combine(_directory, SiloDataDirectory.LockFileName)));
        await app.StopAsync();
    }

    [Fact]
    public async Task Create_SecondSiloOnSameDataDirectory_FailsWithClearMessage()
    {
        await using WebApplication first = SiloApplication.Create(Args());
        await first.StartAsync();
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => SiloApplication.Create(Args()));
        Assert.Contains("Actors:DataDirectory", ex.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another silo", ex.Message, StringComparison.Ordinal);
        await first.StopAsync();
    }

    [Fact]
    public async Task Create_FirstSiloDisposed_SecondStartsOnSameDirectory()
    {
        WebApplication first = SiloApplication.Create(Args());
        await first.StartAsync();
        await first.StopAsync();
        await first.DisposeAsync();
        await using WebApplication second = SiloApplication.Create(Args());
        await second.StartAsync();
        await second.StopAsync();
    }

    [Fact]
    public async Task Start_BadGatewayBindAddress_FailsNamingSetting()
    {
        await using WebApplication app = SiloApplication.Create(Args("--Actors:Gateway:BindAddress=nowhere"));
        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Actors:Gateway:BindAddress", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadHealthPath_FailsNamingSetting()
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => SiloApplication.Create(Args("--Actors:Health:Path=health")));
        Assert.Contains("Actors:Health:Path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DataDirectoryIsAFile_FailsNamingSetting()
    {
        Directory.CreateDirectory(_directory);
        string file = Path.Combine(_directory, "file");
        File.WriteAllText(file, "x");
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => SiloApplication.Create([$"--Actors:DataDirectory={file}", "--Actors:Health:Port=0"]));
        Assert.Contains("Actors:DataDirectory", ex.Message, StringComparison.Ordinal);
    }
}
