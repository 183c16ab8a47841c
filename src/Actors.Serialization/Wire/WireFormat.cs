namespace Actors.Serialization.Wire;

/*
 * Actors serialization wire format, version 1 (docs/serialization.md has the same text with every codec's payload).
 *
 * A message carries one value of a type both sides agree on (the "declared type": a method's parameter type, a
 * stored event's type). All fixed-width integers are little-endian. varuint is unsigned LEB128 (7 bits per byte,
 * low group first, high bit = more bytes follow; at most 10 bytes for 64 bits, 5 for 32; a longer or overflowing
 * encoding is an error).
 *
 *   Message  := FormatVersion:u8 (= 1) | Value            the root value has field id 0 and the declared type
 *   Value    := Tag:u8 | [ExtDelta:varuint] | [TypeSpec] | Payload
 *
 *   Tag      bits 7..4  field id delta D. 0..14 inline; 15 = "ExtDelta follows", the delta is 15 + ExtDelta.
 *            bit  3     typed flag (wire types 0..5): 1 = a TypeSpec follows; the value's runtime type differs from the
 *                       type the reader expects in this slot (polymorphism). 0 = the value has the expected type.
 *            bits 2..0  wire type:
 *              0 VarInt         Payload := varuint                       (unsigned integers, bool 0/1, char)
 *              1 SignedVarInt   Payload := varuint of zigzag(n) = (n << 1) ^ (n >> 63)   (signed integers, enums)
 *              2 Fixed32        Payload := 4 bytes                       (float, Half as float)
 *              3 Fixed64        Payload := 8 bytes                       (double, DateTime)
 *              4 LengthPrefixed Payload := Length:varuint | Length bytes (string as UTF-8, byte[], Guid, decimal, ...)
 *              5 Object         Payload := Value* | EndObject            (objects, structs, collections, tuples)
 *              6 Marker         no payload; typed flag 0; D selects: 0 = EndObject, 1 = EndBase. Nothing else is valid.
 *              7 Special        typed flag 0: Null, no payload.
 *                               typed flag 1: Reference, Payload := ObjectId:varuint (see below).
 *
 * Field ids. Inside an Object, each Value's field id is the previous id plus its delta, starting from 0. An object of
 * a class with base classes writes the root-most base class's fields first, then EndBase, then the next class's
 * fields, and so on; ids restart at 0 after each EndBase. Fields are written in ascending id order. A reader skips a
 * field whose id it does not know, guided by the wire type alone (an Object is skipped up to its matching EndObject),
 * and leaves members it finds no field for at their default (the field was added after the writer was built).
 *
 * Object ids. Every Object tag in a message takes the next object id, counting from 0 in byte order, whether or not
 * the reader materializes it (skipped fields count too). A Reference names the object of that id: a second
 * occurrence of the same instance, which keeps shared references and cycles intact. A Reference to an object the
 * reader has not materialized (inside a skipped field, or not yet built) is an error, never a default.
 *
 * TypeSpec (after a typed tag) names the runtime type:
 *   TypeSpec := Code:varuint ...
 *     0       Named      Name:String | Arity:varuint | Arg:TypeSpec * Arity   (Name: [Alias] or CLR full name of the
 *                                                                            type or generic type definition)
 *     1       WellKnown  Id:varuint  | Arity:varuint | Arg:TypeSpec * Arity   (ids in WellKnownTypeIds)
 *     2       Array      Rank:varuint (0 = vector T[]; n >= 1 = T[,] of rank n) | Element:TypeSpec
 *     n >= 3  Back-reference to entry n - 3 of the message's type table.
 *   Each Named, WellKnown or Array TypeSpec is appended to the type table when it is complete (after its arguments).
 *   String := Length:varuint | UTF-8 bytes.
 *
 * Example: a class { [Id(0)] int A = 5; [Id(1)] string B = "hi"; } as the root value:
 *   01             FormatVersion 1
 *   05             Tag: delta 0, expected type, Object (object id 0)
 *   01 0A          Tag: delta 0, SignedVarInt | zigzag(5) = 10
 *   14 02 68 69    Tag: delta 1, LengthPrefixed | length 2 | "hi"
 *   06             EndObject
 */

/// <summary>Constants and bit layout of the wire format described at the top of this file.</summary>
public static class WireFormat
{
    /// <summary>The format version this build writes and reads (the first byte of every message).</summary>
    public const byte Version = 1;

    /// <summary>Field id deltas up to this value fit in the tag; larger ones are followed by a varuint.</summary>
    public const uint MaxInlineDelta = 14;

    /// <summary>The delta nibble meaning "extended delta follows".</summary>
    internal const byte ExtendedDeltaMarker = 15;

    /// <summary>The typed flag (bit 3).</summary>
    internal const byte TypedFlag = 0x08;

    /// <summary>The wire type bits.</summary>
    internal const byte WireTypeMask = 0x07;

    /// <summary>The tag of EndObject.</summary>
    internal const byte EndObjectTag = (byte)WireType.Marker;

    /// <summary>The tag of EndBase.</summary>
    internal const byte EndBaseTag = 0x10 | (byte)WireType.Marker;

    /// <summary>The low nibble of a Null tag.</summary>
    internal const byte NullLowBits = (byte)WireType.Special;

    /// <summary>The low nibble of a Reference tag.</summary>
    internal const byte ReferenceLowBits = TypedFlag | (byte)WireType.Special;

    /// <summary>TypeSpec code: a named type.</summary>
    internal const uint TypeSpecNamed = 0;

    /// <summary>TypeSpec code: a well-known type id.</summary>
    internal const uint TypeSpecWellKnown = 1;

    /// <summary>TypeSpec code: an array.</summary>
    internal const uint TypeSpecArray = 2;

    /// <summary>TypeSpec codes from this value on are back-references into the type table.</summary>
    internal const uint TypeSpecFirstBackReference = 3;
}
