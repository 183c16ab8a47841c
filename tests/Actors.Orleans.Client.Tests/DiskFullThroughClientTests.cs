using System.Diagnostics;
using System.Net;
using System.Reflection;
using Actors.Orleans.ClientDemo.Launching;
using Actors.Orleans.Demo.Grains.Customers;
using Orleans.Runtime;
using Orleans.Serialization;
using Xunit.Abstractions;

namespace Actors.Orleans.Client.Tests;

/// <summary>
/// A full disk under a real Orleans silo process (silo/Actors.Orleans.Silo on a 256 MiB tmpfs, 32 MiB segments), seen by an Orleans client
/// that, like every normal client, has only the grain interfaces: the error it gets names the full disk, the path and the
/// setting; grains whose data is durable keep activating; writes resume by themselves once space returns; /health says
/// which state the log is in; a graceful stop on the full disk is quick; a restart finds every acknowledged write.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DiskFullThroughClientTests(ITestOutputHelper output)
{
    private const long SegmentSizeBytes = 32L * 1024 * 1024; // the smallest the silo takes: twice its 16 MiB largest record
    private const int EntryChars = 512 * 1024; // one audit entry: a 512 KiB state record per writer grain
    private const int Readers = 10;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GrainCalls_DeviceFullOnTheSilo_ClientWithoutProviderReadsErrorReadsServeAndWritesResume()
    {
        AssertProviderNotLoadable("before the calls");
        using var mount = TmpfsMount.Create("256m");
        string data = Path.Combine(mount.Path, "data");
        string ballast = Path.Combine(mount.Path, "ballast.bin");
        var writes = new WriteLedger();
        var options = SiloOptions(data);

        await using (var silo = await SiloProcess.StartAsync(options))
        {
            await using var client = await SiloClient.ConnectAsync(silo.Endpoints.Gateway, CallTimeout);
            for (int i = 0; i < Readers; i++)
            {
                await client.Grains.GetGrain<ICustomerGrain>($"reader-{i}").Rename($"reader {i}");
            }

            // Deactivate them, so reading them below activates them again from the log.
            await client.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

            // 1. The device fills: the write that needs a new segment is refused, and the client can read why.
            FillLeaving(ballast, mount.Path, 12L * 1024 * 1024);
            Exception refusal = await WriteUntilRefusedAsync(client, writes);
            output.WriteLine($"refused after {writes.Acknowledged.Count} acknowledged writes: {refusal.GetType().FullName}: {refusal.Message}");
            AssertProviderNotLoadable("after the error reached the client");
            var fallback = Assert.IsType<UnavailableExceptionFallbackException>(refusal);
            Assert.Contains("Actors.Orleans.WriteAheadLogOperationException", fallback.ExceptionType, StringComparison.Ordinal);
            Assert.Contains("No space left on the device", fallback.Message, StringComparison.Ordinal);
            Assert.Contains(data, fallback.Message, StringComparison.Ordinal);
            Assert.Contains("SegmentSizeBytes", fallback.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was stored", fallback.Message, StringComparison.Ordinal);
            Assert.Equal(false, fallback.Data["OutcomeUnknown"]);
            Assert.StartsWith("s/", Assert.IsType<string>(fallback.Data["StreamId"]), StringComparison.Ordinal);

            // 2. Durable data keeps being read: the readers activate again while the device is full.
            for (int i = 0; i < Readers; i++)
            {
                Assert.Equal($"reader {i}", (await client.Grains.GetGrain<ICustomerGrain>($"reader-{i}").GetSummary()).Name);
            }

            string fullHealth = await HealthAsync(silo);
            output.WriteLine($"/health while full: {fullHealth}");
            Assert.Contains("DiskFull", fullHealth, StringComparison.Ordinal);

            // 3. Space returns: writes resume by themselves (no restart).
            File.Delete(ballast);
            await WriteAsync(client, writes, "resumed-0");
            await WriteAsync(client, writes, "resumed-1");
            string openHealth = await HealthAsync(silo);
            output.WriteLine($"/health after space returned: {openHealth}");
            Assert.Contains("Open", openHealth, StringComparison.Ordinal);
            Assert.DoesNotContain("DiskFull", openHealth, StringComparison.Ordinal);

            // 4. Full again, then a graceful stop. The write error is a refusal, or a fail-stop when the space pass's recovery
            // snapshot met the full device first (docs/durability.md, "I/O fault matrix"); the stop must be quick either way.
            FillLeaving(ballast, mount.Path, 12L * 1024 * 1024);
            output.WriteLine($"refused again after {writes.Acknowledged.Count} acknowledged writes: {(await WriteUntilRefusedAsync(client, writes)).Message}");
            output.WriteLine($"/health on the full device before the stop: {await HealthAsync(silo)}");
            var clock = Stopwatch.StartNew();
            bool stopped = await silo.StopAsync(TimeSpan.FromSeconds(60));
            output.WriteLine($"graceful stop on the full device: {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(stopped, $"the silo did not stop within 60 s of SIGTERM on the full device; its last output:{Environment.NewLine}{string.Join(Environment.NewLine, silo.LastLines.TakeLast(30))}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the graceful stop on the full device took {clock.Elapsed.TotalSeconds:F1} s; expected under 20 s");
        }

        // 5. Space returns, the silo restarts: every acknowledged write is there, no refused one is.
        File.Delete(ballast);
        await using (var silo = await SiloProcess.StartAsync(options))
        {
            await using var client = await SiloClient.ConnectAsync(silo.Endpoints.Gateway, CallTimeout);
            foreach (string id in writes.Acknowledged)
            {
                Assert.Equal(1, (await client.Grains.GetGrain<ICustomerGrain>(id).GetSummary()).ActivityEntries);
            }

            foreach (string id in writes.Refused)
            {
                Assert.Equal(0, (await client.Grains.GetGrain<ICustomerGrain>(id).GetSummary()).ActivityEntries);
            }

            output.WriteLine($"after the restart: {writes.Acknowledged.Count} acknowledged writes found, {writes.Refused.Count} refused ones absent ({writes.Unknown.Count} with an unknown outcome not checked)");
        }
    }

    private static SiloProcessOptions SiloOptions(string data) => new()
    {
        DataDirectory = data,
        SiloAssemblyPath = typeof(DiskFullThroughClientTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloAssembly").Value,
        Environment = { ["ACTORS__SEGMENTSIZEBYTES"] = SegmentSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    /// <summary>The provider's and the engine's assemblies are neither loaded nor loadable here: the test sees what a normal client sees.</summary>
    private static void AssertProviderNotLoadable(string when)
    {
        foreach (string name in new[] { "Actors.Orleans", "Actors.Wal", "Actors.Wal.Files" })
        {
            Assert.False(AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == name), $"{name} is loaded in the client's process {when}");
            Assert.Throws<FileNotFoundException>(() => Assembly.Load(name));
        }
    }

    /// <summary>Writes a ballast file so that about <paramref name="leave"/> bytes stay free on the mount.</summary>
    private static void FillLeaving(string ballast, string mount, long leave)
    {
        long size = new DriveInfo(mount).AvailableFreeSpace - leave;
        Assert.True(size > 0, $"expected more than {leave} bytes free on {mount}");
        using var file = new FileStream(ballast, FileMode.Create, FileAccess.Write);
        var chunk = new byte[1024 * 1024];
        for (long written = 0; written < size; written += chunk.Length)
        {
            file.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
        }
    }

    /// <summary>One audit entry each on fresh writer grains, 8 at a time, until a call fails; returns its error.</summary>
    private static async Task<Exception> WriteUntilRefusedAsync(SiloClient client, WriteLedger writes)
    {
        for (int batch = 0; batch < 200; batch++)
        {
            string[] ids = [.. Enumerable.Range(0, 8).Select(_ => writes.NextId())];
            Task[] calls = [.. ids.Select(id => client.Grains.GetGrain<ICustomerGrain>(id).Audit(new string('x', EntryChars)))];
            try
            {
                await Task.WhenAll(calls).WaitAsync(CallTimeout);
            }
            catch (Exception) when (calls.All(c => c.IsCompleted))
            {
                // Looked at per call below.
            }

            Exception? first = null;
            for (int i = 0; i < ids.Length; i++)
            {
                if (calls[i].IsCompletedSuccessfully)
                {
                    writes.Acknowledged.Add(ids[i]);
                }
                else
                {
                    Exception error = calls[i].Exception!.InnerException!;
                    (error.Data["OutcomeUnknown"] is false ? writes.Refused : writes.Unknown).Add(ids[i]);
                    first ??= error;
                }
            }

            if (first is not null)
            {
                return first;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected a write to be refused within 1,600 writes of {EntryChars} B with 12 MiB free; {writes.Acknowledged.Count} were acknowledged.");
    }

    private static async Task WriteAsync(SiloClient client, WriteLedger writes, string id)
    {
        await client.Grains.GetGrain<ICustomerGrain>(id).Audit(new string('y', EntryChars)).WaitAsync(CallTimeout);
        writes.Acknowledged.Add(id);
    }

    private static async Task<string> HealthAsync(SiloProcess silo)
    {
        using var http = new HttpClient { Timeout = CallTimeout };
        using HttpResponseMessage response = await http.GetAsync(silo.Endpoints.Health);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Which writer grains got an acknowledged write and which a refused one (each gets one write).</summary>
    private sealed class WriteLedger
    {
        private int _next;

        public List<string> Acknowledged { get; } = [];

        /// <summary>Writes whose error said nothing was stored.</summary>
        public List<string> Refused { get; } = [];

        /// <summary>Writes whose error said the outcome is unknown (the log failed during them): not checked after the restart.</summary>
        public List<string> Unknown { get; } = [];

        public string NextId() => $"writer-{_next++}";
    }
}
