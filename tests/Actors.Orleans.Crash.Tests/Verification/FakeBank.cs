using Orleans.Runtime;

namespace Actors.Orleans.Crash.Tests.Verification;

/// <summary>A grain factory over fake accounts and customers: what the verifier reads, without a silo.</summary>
internal sealed class FakeBank : IGrainFactory
{
    private readonly Dictionary<string, FakeAccountGrain> _accounts = [];
    private readonly Dictionary<string, FakeCustomerGrain> _customers = [];

    public FakeAccountGrain Account(string id) => _accounts.TryGetValue(id, out FakeAccountGrain? account) ? account : _accounts[id] = new FakeAccountGrain(id);

    public FakeCustomerGrain Customer(string id) => _customers.TryGetValue(id, out FakeCustomerGrain? customer) ? customer : _customers[id] = new FakeCustomerGrain(id);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey =>
        typeof(TGrainInterface) == typeof(Demo.Grains.Accounts.IAccountGrain) ? (TGrainInterface)(object)Account(primaryKey)
        : typeof(TGrainInterface) == typeof(Demo.Grains.Customers.ICustomerGrain) ? (TGrainInterface)(object)Customer(primaryKey)
        : throw new NotSupportedException(typeof(TGrainInterface).Name);

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey => throw Unused();

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw Unused();

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unused();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unused();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable => throw Unused();

    public IAddressable GetGrain(GrainId grainId) => throw Unused();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unused();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw Unused();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw Unused();

    private static NotSupportedException Unused() => new("The verifier only asks for accounts and customers by string key.");
}
