using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// Orleans's serializer without a silo, knowing this test assembly's <c>[GenerateSerializer]</c> types: the services the
/// providers' codecs resolve it from. The caller owns (and disposes) the provider.
/// </summary>
public static class TestSerializerServices
{
    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(TestSerializerServices).Assembly));
        return services.BuildServiceProvider();
    }
}
