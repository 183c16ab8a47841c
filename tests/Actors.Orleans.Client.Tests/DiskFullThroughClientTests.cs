using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Actors.Orleans.ClientDemo.Launching;
using Actors.Orleans.Demo.Grains.Accounts;
using Actors.Orleans.Demo.Grains.Customers;
using Orleans.Runtime;
using Orleans.Serialization;
using Xunit.Abstractions;

namespace Actors.Orleans.Client.Tests;

/// <summary>
/// A full disk as an Orleans user meets it: a real silo process (silo/Actors.Orleans.Silo, 32 MiB segments) whose data
/// directory is a size-limited tmpfs filled by the grains' own writes (large <c>IPersistentState</c> writes and large
/// <c>JournaledGrain</c> events), seen by an Orleans client that, like every normal client, has only the grain interfaces.
/// The error it gets names the full device, the path and the setting; grains whose data is durable keep activating; once
/// the tmpfs is grown (<c>mount -o remount,size=</c>) the refused writes' successors and the journaled batches Orleans kept
/// retrying are stored without a restart; a graceful stop with the device full again (a journaled batch still waiting) is
/// quick; a restart finds every acknowledged write and none that was refused.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DiskFullThroughClientTests(ITestOutputHelper output)
{
    private const long Mebibyte = 1024 * 1024;
    private const long SegmentSizeBytes = 32 * Mebibyte; // the smallest the silo takes: twice its 16 MiB largest record
    private const int EntryChars = 512 * 1024; // one audit entry or deposit reference: a record of about 512 KiB

    /// <summary>A deposit reference larger than any audit record: where an audit was refused for want of room, it cannot fit either.</summary>
    private const int LargerChars = EntryChars + (64 * 1024);
    private const int Readers = 5;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A graceful stop of this silo takes about a second; Orleans's own limits (deactivation, host shutdown) are 30 s.</summary>
    private static readonly TimeSpan QuickStop = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task GrainCalls_TmpfsFillsThenGrows_ClientReadsTheErrorReadsServeWritesResumeStopIsQuickRestartRecoversAll()
    {
        AssertProviderNotLoadable("before the calls");
        // 48 MiB: the first 32 MiB segment fits, a second one does not, so the device is full once the first segment is.
        using var mount = TmpfsMount.Create("48m");
        string data = Path.Combine(mount.Path, "data");
        var ledger = new WriteLedger();
        var options = SiloOptions(data);

        await using (var silo = await SiloProcess.StartAsync(options))
        {
            await using var client = await ConnectAsync(silo);
            for (int i = 0; i < Readers; i++)
            {
                await client.Grains.GetGrain<ICustomerGrain>($"reader-{i}").Rename($"reader {i}");
                await client.Grains.GetGrain<IAccountGrain>($"reader-account-{i}").Deposit(10 + i, $"seed {i}");
            }

            // Deactivate them, so reading them below activates them again from the log.
            await client.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

            // 1. The grains' writes fill the device: the write that needs a new segment is refused; the client reads why.
            Exception refusal = await WriteUntilRefusedAsync(client, ledger);
            output.WriteLine($"full ({Usage(mount.Path)}) after {ledger.Audits.Acknowledged.Count} audits and {ledger.Deposits.Count} deposits: {refusal.GetType().FullName}: {refusal.Message}");
            AssertProviderNotLoadable("after the error reached the client");
            AssertNamesTheFullDevice(refusal, data);

            // A journaled batch is not refused to its grain: Orleans retries it until it is stored, so this call waits.
            string waitingAccount = ledger.NextAccount();
            Task<AccountBalance> waiting = Deposit(client, ledger, waitingAccount, 'w', LargerChars);

            // 2. Durable data keeps being read: customers and journaled accounts activate again while the device is full.
            await AssertReadersAsync(client);
            string fullHealth = await HealthAsync(silo);
            output.WriteLine($"/health while full: {fullHealth}; the journaled deposit {(waiting.IsCompleted ? "completed" : "still waits")}");
            Assert.StartsWith("200 ", fullHealth, StringComparison.Ordinal);
            Assert.Contains("DiskFull", fullHealth, StringComparison.Ordinal);
            Assert.False(waiting.IsCompleted, $"the journaled deposit to {waitingAccount} (larger than the refused audit) cannot be stored before the device grows");

            // 3. The tmpfs grows by one segment: writes resume by themselves (no restart), the waiting batches are stored.
            var clock = Stopwatch.StartNew();
            Resize(mount.Path, Used(mount.Path) + SegmentSizeBytes + (8 * Mebibyte));
            await WriteAuditAsync(client, ledger);
            TimeSpan auditResumed = clock.Elapsed;
            await ledger.SettleDepositsAsync(CallTimeout);
            output.WriteLine($"grown to {Usage(mount.Path)}: an audit was stored {auditResumed.TotalSeconds:F1} s later, every waiting journaled deposit by {clock.Elapsed.TotalSeconds:F1} s ({ledger.Deposits.Count} acknowledged, {waitingAccount} among them)");
            Assert.True(waiting.IsCompletedSuccessfully, $"the journaled deposit to {waitingAccount} made while the device was full must be stored once it grew");
            await Eventually.TrueAsync(
                async () => !(await HealthAsync(silo)).Contains("DiskFull", StringComparison.Ordinal),
                CallTimeout,
                "/health no longer DiskFull once the tmpfs grew and a write was stored");

            // 4. Full again, a journaled batch waiting, then a graceful stop: quick, and the waiting call gets a readable answer.
            Exception again = await WriteUntilRefusedAsync(client, ledger);
            AssertNamesTheFullDevice(again, data);
            string stopAccount = ledger.NextAccount();
            _ = Deposit(client, ledger, stopAccount, 's', LargerChars);
            output.WriteLine($"full again ({Usage(mount.Path)}); /health: {await HealthAsync(silo)}");
            clock.Restart();
            bool stopped = await silo.StopAsync(TimeSpan.FromSeconds(60));
            TimeSpan stop = clock.Elapsed;
            string atStop = await ledger.SettleAfterStopAsync(TimeSpan.FromSeconds(10));
            output.WriteLine($"graceful stop on the full device: {stop.TotalSeconds:F1} s; the journaled deposits made since the tmpfs grew: {atStop}");
            Assert.True(stopped, $"the silo did not stop within 60 s of SIGTERM on the full device; its last output:{Environment.NewLine}{string.Join(Environment.NewLine, silo.LastLines.TakeLast(30))}");
            Assert.True(stop < QuickStop, $"the graceful stop on the full device took {stop.TotalSeconds:F1} s; expected under {QuickStop.TotalSeconds:F0} s");
            Assert.True(ledger.RefusedDeposits.Contains(stopAccount), $"the journaled deposit to {stopAccount}, waiting for space at the graceful stop, must be answered with the provider's error; it got: {atStop}");
            Assert.All(ledger.UnknownDeposits, account => Assert.Fail($"the journaled deposit to {account}, waiting for space at the graceful stop, must be stored or answered with the provider's error; it got: {atStop}"));
        }

        // 5. More room, a restart: every acknowledged write is there, no refused one is, the readers are unchanged.
        Resize(mount.Path, Used(mount.Path) + (2 * SegmentSizeBytes));
        await using (var silo = await SiloProcess.StartAsync(options))
        {
            await using var client = await ConnectAsync(silo);
            await AssertReadersAsync(client);
            foreach (string id in ledger.Audits.Acknowledged)
            {
                Assert.Equal(1, (await client.Grains.GetGrain<ICustomerGrain>(id).GetSummary()).ActivityEntries);
            }

            foreach (string id in ledger.Audits.Refused)
            {
                Assert.Equal(0, (await client.Grains.GetGrain<ICustomerGrain>(id).GetSummary()).ActivityEntries);
            }

            foreach (string id in ledger.Deposits)
            {
                AccountBalance balance = await client.Grains.GetGrain<IAccountGrain>(id).GetBalance();
                Assert.True((1m, 1) == (balance.Balance, balance.Version), $"account {id}: its acknowledged deposit of 1 must be its only event; it has balance {balance.Balance} at version {balance.Version}");
            }

            foreach (string id in ledger.RefusedDeposits)
            {
                Assert.Equal(0, (await client.Grains.GetGrain<IAccountGrain>(id).GetBalance()).Version);
            }

            output.WriteLine(
                $"after the restart: {ledger.Audits.Acknowledged.Count} acknowledged audits and {ledger.Deposits.Count} acknowledged deposits found, "
                + $"{ledger.Audits.Refused.Count} refused audits and {ledger.RefusedDeposits.Count} refused deposits absent; audits with an unknown outcome (not checked): [{string.Join("; ", ledger.Audits.UnknownErrors)}]");
        }
    }

    private static SiloProcessOptions SiloOptions(string data) => new()
    {
        DataDirectory = data,
        SiloAssemblyPath = typeof(DiskFullThroughClientTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloAssembly").Value,
        Environment =
        {
            ["WRITEAHEADLOG__SEGMENTSIZEBYTES"] = SegmentSizeBytes.ToString(CultureInfo.InvariantCulture),

            // Orleans's dashboard costs about a second of CPU per start (3.1-3.6 s with it, 2.2-2.6 s without) and takes no
            // part in a full disk.
            ["ACTORS__DASHBOARDENABLED"] = "false",
        },
    };

    /// <summary>A client whose calls wait longer than Orleans's 30 s default, so a journaled call that waits for space is not cut short.</summary>
    private static Task<SiloClient> ConnectAsync(SiloProcess silo) =>
        SiloClient.ConnectAsync([silo.Endpoints.Gateway], "actors", "actors", CallTimeout, responseTimeout: TimeSpan.FromMinutes(3));

    /// <summary>The provider's and the engine's assemblies are neither loaded nor loadable here: the test sees what a normal client sees.</summary>
    private static void AssertProviderNotLoadable(string when)
    {
        foreach (string name in new[] { "Actors.Orleans", "Actors.Wal", "Actors.Wal.Files" })
        {
            Assert.False(AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == name), $"{name} is loaded in the client's process {when}");
            Assert.Throws<FileNotFoundException>(() => Assembly.Load(name));
        }
    }

    /// <summary>The refusal as a client without the provider reads it: Orleans's fallback naming the type, the device, the path, the setting.</summary>
    private static void AssertNamesTheFullDevice(Exception refusal, string data)
    {
        var fallback = Assert.IsType<UnavailableExceptionFallbackException>(refusal);
        Assert.Contains("Actors.Orleans.WriteAheadLogOperationException", fallback.ExceptionType, StringComparison.Ordinal);
        Assert.Contains("No space left on the device", fallback.Message, StringComparison.Ordinal);
        Assert.Contains(data, fallback.Message, StringComparison.Ordinal);
        Assert.Contains("WriteAheadLog:SegmentSizeBytes", fallback.Message, StringComparison.Ordinal); // the key the silo host binds
        Assert.Contains("Nothing was stored", fallback.Message, StringComparison.Ordinal);
        Assert.Equal(false, fallback.Data["OutcomeUnknown"]);
        Assert.StartsWith("s/", Assert.IsType<string>(fallback.Data["StreamId"]), StringComparison.Ordinal);
    }

    private static async Task AssertReadersAsync(SiloClient client)
    {
        for (int i = 0; i < Readers; i++)
        {
            Assert.Equal($"reader {i}", (await client.Grains.GetGrain<ICustomerGrain>($"reader-{i}").GetSummary().WaitAsync(CallTimeout)).Name);
            AccountBalance balance = await client.Grains.GetGrain<IAccountGrain>($"reader-account-{i}").GetBalance().WaitAsync(CallTimeout);
            Assert.Equal((10m + i, 1), (balance.Balance, balance.Version));
        }
    }

    /// <summary>
    /// Rounds of two audit entries on fresh customers (IPersistentState) and two deposits on fresh accounts (JournaledGrain),
    /// each about 512 KiB, until an audit fails; returns its error. The deposits are not awaited here: once the device is
    /// full, Orleans retries a journaled batch until it is stored (<see cref="WriteLedger.SettleDepositsAsync"/>).
    /// </summary>
    private static async Task<Exception> WriteUntilRefusedAsync(SiloClient client, WriteLedger ledger)
    {
        for (int round = 0; round < 200; round++)
        {
            _ = Deposit(client, ledger, ledger.NextAccount(), 'd', EntryChars);
            _ = Deposit(client, ledger, ledger.NextAccount(), 'd', EntryChars);
            string[] ids = [ledger.Audits.NextId(), ledger.Audits.NextId()];
            Task[] calls = [.. ids.Select(id => client.Grains.GetGrain<ICustomerGrain>(id).Audit(new string('x', EntryChars)))];
            try
            {
                await Task.WhenAll(calls).WaitAsync(CallTimeout);
            }
            catch (Exception) when (calls.All(c => c.IsCompleted))
            {
                // Looked at per call below.
            }

            if (ledger.Audits.Record(ids, calls) is { } first)
            {
                return first;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected an audit to be refused within 400 writes of {EntryChars} B; {ledger.Audits.Acknowledged.Count} were acknowledged.");
    }

    private static Task<AccountBalance> Deposit(SiloClient client, WriteLedger ledger, string account, char fill, int chars)
    {
        Task<AccountBalance> call = client.Grains.GetGrain<IAccountGrain>(account).Deposit(1, new string(fill, chars));
        ledger.Waiting(account, call);
        return call;
    }

    private static async Task WriteAuditAsync(SiloClient client, WriteLedger ledger)
    {
        string id = ledger.Audits.NextId();
        await client.Grains.GetGrain<ICustomerGrain>(id).Audit(new string('y', EntryChars)).WaitAsync(CallTimeout);
        ledger.Audits.Acknowledged.Add(id);
    }

    private static async Task<string> HealthAsync(SiloProcess silo)
    {
        using var http = new HttpClient { Timeout = CallTimeout };
        using HttpResponseMessage response = await http.GetAsync(silo.Endpoints.Health);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    private static long Used(string mount)
    {
        var drive = new DriveInfo(mount);
        return drive.TotalSize - drive.AvailableFreeSpace;
    }

    private static string Usage(string mount) =>
        $"{Used(mount) / (double)Mebibyte:F1} of {new DriveInfo(mount).TotalSize / (double)Mebibyte:F1} MiB used";

    /// <summary>Grows (or shrinks, not below what is used) the tmpfs in place: <c>mount -o remount,size=BYTES</c>.</summary>
    private static void Resize(string mount, long bytes)
    {
        var start = new ProcessStartInfo("mount") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-o", $"remount,size={bytes.ToString(CultureInfo.InvariantCulture)}", mount })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"mount -o remount,size={bytes} {mount} failed with exit code {process.ExitCode}: {error.Trim()}");
    }

    /// <summary>Which writes were acknowledged, refused or left with an unknown outcome.</summary>
    private sealed class WriteLedger
    {
        private readonly Dictionary<string, Task<AccountBalance>> _waiting = [];
        private int _nextAccount;

        public AuditLedger Audits { get; } = new();

        /// <summary>Accounts whose single deposit (of 1) was acknowledged.</summary>
        public List<string> Deposits { get; } = [];

        /// <summary>Accounts whose single deposit was refused (nothing stored).</summary>
        public List<string> RefusedDeposits { get; } = [];

        public string NextAccount() => $"filler-account-{_nextAccount++}";

        public void Waiting(string account, Task<AccountBalance> call) => _waiting[account] = call;

        /// <summary>Waits for every deposit made so far: each must be stored (Orleans retries a journaled batch until it is).</summary>
        public async Task SettleDepositsAsync(TimeSpan timeout)
        {
            foreach ((string account, Task<AccountBalance> call) in _waiting)
            {
                AccountBalance balance = await call.WaitAsync(timeout);
                Assert.True(balance.Version == 1, $"account {account}: its deposit must be its first event; it is at version {balance.Version}");
                Deposits.Add(account);
            }

            _waiting.Clear();
        }

        /// <summary>Accounts whose deposit had no answer or one that left its outcome unknown (not checked after the restart).</summary>
        public List<string> UnknownDeposits { get; } = [];

        /// <summary>
        /// Files the deposits still waiting when the silo stopped: stored, refused (nothing stored: checked absent after the
        /// restart) or unknown; returns what they got, for the output.
        /// </summary>
        public async Task<string> SettleAfterStopAsync(TimeSpan timeout)
        {
            var answers = new List<string>();
            int stored = 0;
            foreach ((string account, Task<AccountBalance> call) in _waiting)
            {
                try
                {
                    await call.WaitAsync(timeout);
                    Deposits.Add(account);
                    stored++;
                }
                catch (TimeoutException)
                {
                    UnknownDeposits.Add(account);
                    answers.Add($"{account}: no answer within {timeout.TotalSeconds:F0} s");
                }
                catch (Exception ex) when (ex.Message.Contains("(not retried: the silo is stopping) failed", StringComparison.Ordinal)
                    && ex.Message.Contains("No space left on the device", StringComparison.Ordinal) && ex.Message.Contains("Nothing was stored", StringComparison.Ordinal))
                {
                    // The grain's answer at the stop: Orleans's protocol error around the provider's (its Data does not cross).
                    RefusedDeposits.Add(account);
                    answers.Add($"{account}: {ex.GetType().Name}: {ex.Message}");
                }
                catch (Exception ex)
                {
                    (ex.Data["OutcomeUnknown"] is false ? RefusedDeposits : UnknownDeposits).Add(account);
                    answers.Add($"{account}: {ex.GetType().Name} ({(ex as UnavailableExceptionFallbackException)?.ExceptionType}): {ex.Message}");
                }
            }

            _waiting.Clear();
            return $"{stored} stored; {string.Join("; ", answers)}";
        }
    }

    /// <summary>Which customers got an acknowledged audit entry and which a refused one (each gets one write).</summary>
    private sealed class AuditLedger
    {
        private int _next;

        public List<string> Acknowledged { get; } = [];

        /// <summary>Writes whose error said nothing was stored.</summary>
        public List<string> Refused { get; } = [];

        /// <summary>Writes whose error said the outcome is unknown (the log failed during them): not checked after the restart.</summary>
        public List<string> Unknown { get; } = [];

        /// <summary>The errors of <see cref="Unknown"/>, for the output.</summary>
        public List<string> UnknownErrors { get; } = [];

        public string NextId() => $"writer-{_next++}";

        /// <summary>Files each completed call; returns the first error, or null when all were acknowledged.</summary>
        public Exception? Record(string[] ids, Task[] calls)
        {
            Exception? first = null;
            for (int i = 0; i < ids.Length; i++)
            {
                if (calls[i].IsCompletedSuccessfully)
                {
                    Acknowledged.Add(ids[i]);
                }
                else
                {
                    Exception error = calls[i].Exception!.InnerException!;
                    if (error.Data["OutcomeUnknown"] is false)
                    {
                        Refused.Add(ids[i]);
                    }
                    else
                    {
                        Unknown.Add(ids[i]);
                        UnknownErrors.Add($"{ids[i]}: {error.GetType().Name}: {error.Message}");
                    }

                    first ??= error;
                }
            }

            return first;
        }
    }
}
