"""NDR32 (MS-RPCE 2.2.5, C706 ch. 14), little-endian: Python values to bytes and back.

Declare each structure once, as a table of NDR type objects, then encode and decode::

    from wua.rpc import ndr

    Point = ndr.Struct("Point", [("x", ndr.u32), ("y", ndr.u16)])
    Shape = ndr.Struct("Shape", [
        ("name", ndr.Unique(ndr.WString())),        # embedded pointer: referent deferred
        ("points", ndr.Unique(ndr.ConformantArray(Point))),
        ("kind", ndr.enum32(MyIntEnum)),
    ])
    data = ndr.encode(Shape, Shape(name="tri", points=[Point(x=1, y=2)], kind=MyIntEnum.A))
    shape = ndr.decode(Shape, data)       # frozen dataclass; raises if bytes are left over
    shape.points[0].x                     # -> 1

A method's [in] or [out] parameters are one stream: declare them as `Params` (pointer
parameters are top-level: `Ref` by default in IDL, so wrap them in `ndr.Ref`)::

    GetIDsOfNamesIn = ndr.Params("GetIDsOfNames.in", [
        ("riid", ndr.Ref(ndr.GUID)),
        ("names", ndr.Ref(ndr.ConformantArray(ndr.Unique(ndr.WString())))),
        ("count", ndr.u32), ("lcid", ndr.u32),
    ])
    stub = ndr.encode(GetIDsOfNamesIn, GetIDsOfNamesIn(riid=..., names=["Search"], count=1, lcid=0))

`decode_prefix(type, data, offset)` returns `(value, next_offset)` for streams where
something else follows (e.g. after the ORPCTHIS a DCOM layer decoded itself). Alignment
is always relative to the start of `data`, which must be where the NDR stream starts.
`serialize` / `deserialize` wrap a value in the MS-RPCE 2.2.6 type serialization headers.

Values: integers and floats as `int`/`float`, enums as their IntEnum, GUIDs as
`uuid.UUID`, arrays as lists (arrays of `u8` as `bytes`), strings as `str`, NULL pointers
as None, unions as `UnionValue(tag, value)`, structures as their record (a frozen
dataclass; `Struct(...)(**fields)` builds one). Every failure, decoding or encoding, is a
`wua.errors.ProtocolError` whose `structure` is the path (e.g. "Shape.kind", or
"Shape.points->Point[]" for a referent of the pointer Shape.points) and `offset` the
byte offset in the stream.

Custom types subclass `NdrType` and implement `write(enc, value)` / `read(dec)` on the
`Encoder` / `Decoder` cursors (see `wua.dcom.oaut` for VARIANT).
"""

from wua.rpc.ndr.arrays import (
    ConformantArray,
    ConformantVaryingArray,
    FixedArray,
    Varying,
    VaryingArray,
    WString,
)
from wua.rpc.ndr.base import NdrType
from wua.rpc.ndr.codec import decode, decode_prefix, encode, encode_into
from wua.rpc.ndr.pointers import Full, Pointer, Ref, Unique
from wua.rpc.ndr.primitives import (
    GUID,
    Primitive,
    boolean,
    enum16,
    enum32,
    f32,
    f64,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    wchar,
)
from wua.rpc.ndr.serialization import deserialize, deserialize_prefix, serialize
from wua.rpc.ndr.stream import Decoder, Encoder, Pending, fail, rewrap
from wua.rpc.ndr.structure import Params, Struct
from wua.rpc.ndr.unions import Union, UnionValue

__all__ = [
    "GUID",
    "ConformantArray",
    "ConformantVaryingArray",
    "Decoder",
    "Encoder",
    "FixedArray",
    "Full",
    "NdrType",
    "Params",
    "Pending",
    "Pointer",
    "Primitive",
    "Ref",
    "Struct",
    "Union",
    "UnionValue",
    "Unique",
    "Varying",
    "VaryingArray",
    "WString",
    "boolean",
    "decode",
    "decode_prefix",
    "deserialize",
    "deserialize_prefix",
    "encode",
    "encode_into",
    "enum16",
    "enum32",
    "f32",
    "f64",
    "fail",
    "i8",
    "i16",
    "i32",
    "i64",
    "rewrap",
    "serialize",
    "u8",
    "u16",
    "u32",
    "u64",
    "wchar",
]
