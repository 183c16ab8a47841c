using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Actors.Orleans.Clustering.Tests.Support.StartsFirstOrderer", "Actors.Orleans.Clustering.Tests")]

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// Starts the classes marked <see cref="StartsFirstAttribute"/> before the others, then the rest by name: a few classes run at
/// a time (xunit.runner.json), and the longest one started last would run on alone long after the others ended.
/// </summary>
public sealed class StartsFirstOrderer : ITestCollectionOrderer
{
    /// <summary>xunit's display name of a class's own test collection, before the class's full name.</summary>
    private const string ClassCollectionPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => StartsFirst(c) ? 0 : 1).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static bool StartsFirst(ITestCollection collection)
    {
        ITypeInfo? type = collection.CollectionDefinition
            ?? (collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
                ? collection.TestAssembly.Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..])
                : null);
        return type is not null && type.GetCustomAttributes(typeof(StartsFirstAttribute)).Any();
    }
}
