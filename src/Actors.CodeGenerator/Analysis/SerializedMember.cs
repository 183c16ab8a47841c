using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>A member of a type that is serialized, with its id and where the id comes from.</summary>
/// <param name="Symbol">The field or property.</param>
/// <param name="Id">Its id.</param>
/// <param name="Location">Where to report problems (the [Id] or the member).</param>
internal sealed record SerializedMember(ISymbol Symbol, uint Id, Location Location)
{
    public ITypeSymbol Type => Symbol is IFieldSymbol member ? member.Type : ((IPropertySymbol)Symbol).Type;
}
