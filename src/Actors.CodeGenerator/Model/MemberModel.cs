namespace Actors.CodeGenerator.Model;

/// <summary>How generated code reads or writes a member.</summary>
internal enum AccessKind
{
    /// <summary>Plain member access (the member is accessible and, for writes, assignable).</summary>
    Direct,

    /// <summary>Through an UnsafeAccessor returning a ref to the field (private, readonly, or an auto-property's backing field).</summary>
    Field,

    /// <summary>Through an UnsafeAccessor calling the property accessor method (get_X / set_X).</summary>
    Method,
}

/// <summary>One serialized member of a generated type.</summary>
/// <param name="Id">The member's [Id].</param>
/// <param name="Name">The member's name in source.</param>
/// <param name="Type">The member's type, fully qualified.</param>
/// <param name="ScalarFormat">The scalar format type for a fast static codec call, or null.</param>
/// <param name="IsEnum">The member's type is an enum (static EnumCodec call).</param>
/// <param name="IsShallowCopyable">Copies may share the member's value.</param>
/// <param name="Read">How its value is read.</param>
/// <param name="Write">How its value is written.</param>
/// <param name="FieldName">The field an AccessKind.Field accessor targets (the field or the backing field).</param>
internal sealed record MemberModel(
    uint Id,
    string Name,
    string Type,
    string? ScalarFormat,
    bool IsEnum,
    bool IsShallowCopyable,
    AccessKind Read,
    AccessKind Write,
    string? FieldName);
