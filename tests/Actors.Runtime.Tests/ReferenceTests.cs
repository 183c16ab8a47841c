using Actors.Hosting;
using Actors.Invocation;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData(typeof(CounterGrain), "counter")]
    [InlineData(typeof(BankAccountGrain), "bank-account")]
    [InlineData(typeof(ValueGrain), "value")]
    public void ForClass_GrainClass_LowercasedWithoutGrainSuffixOrAttributeValue(Type grainClass, string expected)
        => Assert.Equal(expected, GrainTypeNames.ForClass(grainClass));

    [Theory]
    [InlineData(typeof(ICounterGrain), "counter")]
    [InlineData(typeof(IAccount), "account")]
    public void ForInterface_GrainInterface_StripsLeadingIAndGrainSuffix(Type grainInterface, string expected)
        => Assert.Equal(expected, GrainTypeNames.ForInterface(grainInterface));

    [Fact]
    public void Parse_TypeSlashKeyWithSlashInKey_RoundTrips()
    {
        GrainId id = GrainId.Parse("counter/a/b");
        Assert.Equal(new GrainId("counter", "a/b"), id);
        Assert.Equal("counter/a/b", id.ToString());
        Assert.Throws<FormatException>(() => GrainId.Parse("nokey/"));
    }

    [Fact]
    public async Task GetGrain_GuidAndIntegerKeys_UseCanonicalFormsAndKeyAccessors()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<ValueGrain>().AddGrain<BankAccountGrain>());
        var guid = Guid.NewGuid();

        IAccount account = silo.Factory.GetGrain<IAccount>(guid);
        IValueGrain value = silo.Factory.GetGrain<IValueGrain>(-42);

        Assert.Equal(guid, await account.Id());
        Assert.Equal(new GrainId("bank-account", guid.ToString("N")), account.GetGrainId());
        Assert.Equal(-42, await value.Key());
        Assert.Equal(new GrainId("value", "-42"), value.GetGrainId());
    }

    [Fact]
    public async Task GetGrain_ClientFactoryWithProvisionalTypeName_ReachesTheImplementingClass()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<BankAccountGrain>());
        var clientFactory = new GrainReferenceFactory(silo.Services.GetRequiredService<IGrainCallInvoker>());
        var guid = Guid.NewGuid();

        IAccount account = clientFactory.GetGrain<IAccount>(guid);

        Assert.Equal("account", account.GetGrainId().Type);
        Assert.Equal(guid, await account.Id());
        Assert.True(silo.Runtime.Catalog.TryGet(new GrainId("bank-account", guid.ToString("N")), out _));
    }

    [Fact]
    public void GetGrain_SameIdTwice_ReferencesAreEqual()
    {
        var factory = new GrainReferenceFactory(new ThrowingInvoker());
        Assert.Equal(factory.GetGrain<ICounterGrain>("k"), factory.GetGrain<ICounterGrain>("k"));
        Assert.NotEqual(factory.GetGrain<ICounterGrain>("k"), factory.GetGrain<ICounterGrain>("j"));
    }

    [Fact]
    public async Task Services_SiloRegistrations_ExposeRegistryInvokerFactoryAndSerializer()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        var registry = silo.Services.GetRequiredService<GrainMethodRegistry>();

        Assert.True(registry.TryGetMethod(GrainMethod.For(typeof(ICounterGrain).GetMethod(nameof(ICounterGrain.Increment))!).Key, out _));
        Assert.IsType<LocalGrainCallInvoker>(silo.Services.GetRequiredService<IGrainCallInvoker>());
        Assert.IsType<GrainReferenceFactory>(silo.Services.GetRequiredService<IGrainFactory>());
        Assert.IsType<Actors.Serialization.JsonGrainSerializer>(silo.Services.GetRequiredService<Actors.Serialization.IGrainSerializer>());
    }

    [Fact]
    public async Task Call_UnregisteredInterface_FailsNamingTheInterface()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<CounterGrain>());
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<IAccount>(Guid.NewGuid()).Id());
        Assert.Contains(typeof(IAccount).FullName!, error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingInvoker : IGrainCallInvoker
    {
        public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();
    }
}
