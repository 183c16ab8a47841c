using Xunit.Abstractions;

namespace Actors.Orleans.Crash.Tests;

/// <summary>
/// SIGKILLs the real Orleans silo process under durable load, 8 times on one data directory (<see cref="KillCycleSettings"/>), and checks after every
/// restart that nothing acknowledged was lost, reordered or partly applied. A failing run keeps its data directory and
/// names it in the message.
/// </summary>
public sealed class SiloKillTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Crash")]
    public async Task OrleansSilo_SigkilledUnderLoadRepeatedly_EveryAcknowledgedCallRecovered()
    {
        KillCycleSettings settings = KillCycleSettings.FromEnvironment();
        string directory = Path.Combine(Path.GetTempPath(), "actors-orleans-kill", $"{settings.Seed}-{Guid.NewGuid():N}");
        KillCycleResult result = await new KillCycles(settings, output.WriteLine).RunAsync(directory);
        string summary = result.Summary(settings, directory);
        output.WriteLine(summary);

        Assert.True(result.Failures.Count == 0, summary);
        Assert.True(result.Cycles == settings.Cycles, $"Expected {settings.Cycles} cycles; ran {result.Cycles}. {summary}");
        Assert.True(result.AcknowledgedVerified >= result.Cycles, $"Expected each cycle to verify acknowledged calls. {summary}");
        Directory.Delete(directory, recursive: true);
    }
}
