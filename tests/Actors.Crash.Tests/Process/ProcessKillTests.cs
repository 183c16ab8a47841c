using Xunit.Abstractions;

namespace Actors.Crash.Tests.Process;

/// <summary>
/// SIGKILLs the real silo executable under durable load and checks after every restart that nothing acknowledged was
/// lost, reordered or partially applied. CI runs 20 cycles; scripts/kill-campaign.sh runs the long campaign.
/// </summary>
public sealed class ProcessKillTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Crash")]
    public async Task RealSilo_SigkilledAtRandomMomentsUnderLoad_EveryAcknowledgedOperationRecovered()
    {
        KillCampaignSettings settings = KillCampaignSettings.FromEnvironment();
        KillCampaignResult result = await new KillCampaign(settings, output.WriteLine).RunAsync();
        string summary = result.Summary(settings.Cycles, settings.Seed);
        output.WriteLine(summary);
        if (settings.SummaryFile is { } file)
        {
            await File.AppendAllTextAsync(file, summary + Environment.NewLine);
        }

        Assert.True(result.Failures.Count == 0, summary);
        Assert.True(result.StoppedByTimeLimit || result.Cycles == settings.Cycles, $"Expected {settings.Cycles} kill cycles, ran {result.Cycles}.{Environment.NewLine}{summary}");
        Assert.True(result.AcknowledgedOperationsVerified > result.Cycles, $"Each cycle must verify acknowledged operations.{Environment.NewLine}{summary}");
    }
}
