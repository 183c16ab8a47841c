using Actors.Persistence.Wal.Tests.Support;
using Actors.TestingHost.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Tests.Journal;

/// <summary>The write-ahead-log journal adaptor passes the framework-neutral journal conformance suite.</summary>
public sealed class JournalConformanceTests
{
    private static readonly JournalConformanceModel<BankState, BankEvent> Model = new(
        amount => new BankDeposited(amount),
        e => (int)((BankDeposited)e).Amount,
        s => (int)s.Balance,
        (s, e) => s.Apply(e));

    [Fact]
    public async Task RunAllAsync_WriteAheadLogJournal_Conforms()
    {
        var logs = new SharedLogFactory();
        await using WriteAheadLogStore store = logs.CreateStore();
        var factory = new WriteAheadLogJournalAdaptorFactory(store);
        ServiceProvider services = new ServiceCollection().BuildServiceProvider();

        await new JournalAdaptorConformance<BankState, BankEvent>(
            factory,
            id => new Actors.Journaling.JournalAdaptorContext(id, typeof(object), store.Name, services),
            Model).RunAllAsync();
    }
}
