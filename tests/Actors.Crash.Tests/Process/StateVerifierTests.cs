using Actors.ClientDemo.Workload;
using Actors.Demo.Grains.Accounts;
using Actors.Demo.Grains.Customers;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.TestingHost;

namespace Actors.Crash.Tests.Process;

/// <summary>
/// The verifier the kill campaign and the demo rely on must catch what it claims to catch: a lost acknowledged event,
/// a write nobody acknowledged, a partial in-flight operation, a customer that lost an update. Runs in-process on a
/// test cluster with the write-ahead-log store (fast), with a silo kill and restart where the scenario needs one.
/// </summary>
public sealed class StateVerifierTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private BankModel _model = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder();
        builder.ConfigureSilo(silo =>
        {
            silo.AddGrainsFromAssembly(typeof(BankAccountGrain).Assembly);
            silo.AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
                o.SegmentSizeBytes = 4 * 1024 * 1024;
                o.MaxRecordSizeBytes = 256 * 1024;
                o.MaxEventSizeBytes = 16 * 1024;
                o.PreallocateSegments = false;
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _model = new BankModel("t", accounts: 6, customers: 2);
        await new BankWorkload(_cluster.Client, _model).SetupAsync(100m, parallelism: 4, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task VerifyAsync_LoadKillAndRestart_PassesAndCountsEveryAcknowledgedOperation()
    {
        await new BankWorkload(_cluster.Client, _model).RunAsync(workers: 4, maxOperations: 200, seed: 7, CancellationToken.None);
        long acknowledged = _model.AcknowledgedSinceVerification;
        await _cluster.KillSiloAsync(_cluster.Primary);
        await _cluster.RestartSiloAsync(_cluster.Primary);

        VerificationReport report = await StateVerifier.VerifyAsync(_cluster.Client, _model, 4, CancellationToken.None);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures.Concat(_model.Failures)));
        Assert.Empty(_model.Failures);
        Assert.Equal(acknowledged, report.AcknowledgedOperations);
        Assert.Equal(report.ExpectedTotalMoney, report.TotalMoney);
    }

    [Fact]
    public async Task VerifyAsync_AcknowledgedDepositNeverStored_ReportsMissingEvent()
    {
        var phantom = new BankOperation(_model.NextOperationId(), OperationKind.Deposit, _model.Accounts[2].Id, null, null, 5m, null);
        _model.Sent();
        _model.Succeeded(phantom);

        VerificationReport report = await StateVerifier.VerifyAsync(_cluster.Client, _model, 4, CancellationToken.None);

        Assert.Contains(report.Failures, f => f.Contains(_model.Accounts[2].Id, StringComparison.Ordinal) && f.Contains("must hold acknowledged event", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.StartsWith("Money not conserved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_WriteNobodyAcknowledged_ReportsForeignWrite()
    {
        await _cluster.Client.GetGrain<IBankAccountGrain>(_model.Accounts[1].Id).Deposit(9m, "unrecorded");

        VerificationReport report = await StateVerifier.VerifyAsync(_cluster.Client, _model, 4, CancellationToken.None);

        Assert.Contains(report.Failures, f => f.Contains(_model.Accounts[1].Id, StringComparison.Ordinal) && f.Contains("partial or foreign write", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_InFlightTransferApplied_AcceptedAsCompletelyPresent()
    {
        var transfer = new BankOperation(_model.NextOperationId(), OperationKind.Transfer, _model.Accounts[0].Id, _model.Accounts[3].Id, null, 40m, null);
        await _cluster.Client.GetGrain<IBankAccountGrain>(transfer.Account!).Transfer(transfer.Target!, transfer.Amount, transfer.Reference);
        _model.Sent();
        _model.OutcomeUnknown(transfer);

        VerificationReport report = await StateVerifier.VerifyAsync(_cluster.Client, _model, 4, CancellationToken.None);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(1, report.InFlightPresent);
        Assert.Equal(60m, _model.Accounts[0].Balance);
        Assert.Equal(140m, _model.Accounts[3].Balance);
    }

    [Fact]
    public async Task VerifyAsync_InFlightTransferOnlyCreditedToTarget_ReportsPartialWrite()
    {
        var transfer = new BankOperation(_model.NextOperationId(), OperationKind.Transfer, _model.Accounts[0].Id, _model.Accounts[3].Id, null, 40m, null);
        await _cluster.Client.GetGrain<IBankAccountGrain>(transfer.Target!).ReceiveTransfer(transfer.Reference, transfer.Account!, transfer.Amount);
        _model.Sent();
        _model.OutcomeUnknown(transfer);

        VerificationReport report = await StateVerifier.VerifyAsync(_cluster.Client, _model, 4, CancellationToken.None);

        Assert.Contains(report.Failures, f => f.Contains("partial across accounts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_CustomerLostAcknowledgedRename_ReportsCustomerMismatch()
    {
        string customer = _model.Customers[1].Id;
        var rename = new BankOperation(_model.NextOperationId(), OperationKind.Rename, null, null, customer, 0m, "Never stored");
        _model.Sent();
        _model.Succeeded(rename);

        VerificationReport report = await StateVerifier.VerifyAsync(_cluster.Client, _model, 4, CancellationToken.None);

        Assert.Contains(report.Failures, f => f.StartsWith(customer, StringComparison.Ordinal) && f.Contains("Never stored", StringComparison.Ordinal));
        CustomerSummary stored = await _cluster.Client.GetGrain<ICustomerGrain>(customer).GetSummary();
        Assert.Equal("Customer 1", stored.Name);
    }
}
