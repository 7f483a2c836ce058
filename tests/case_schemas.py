"""JSON Schemas for every payload of the CASE 1.1 REST binding, written for our tests from the
rules of 1EdTech's published schemas:

* "CASE Service REST/JSON Binding Version 1.1", Final Release (24 January 2025), Appendix C1: the
  per-operation response schemas (``getCFDocument-200-responsepayload-schema.json`` ... and the
  ``...-400-401-403-404-429-500-default-responsepayload-schema.json`` imsx_StatusInfo body);
* https://purl.imsglobal.org/spec/case/v1p1/schema/json/case_v1p1_cfpackage-jsonschema1.json
  (the CFPackage).

What they require is kept: required members, ``additionalProperties: false`` on every class,
UUID identifiers (versions 1-5, variants 8-b), ``uri``/``date-time``/``date`` formats, the
association type vocabulary (extensible with ``ext:`` names), ``caseVersion`` 1.1, the LinkURI /
LinkGenURI shapes, the set wrappers (CFDocuments, CFItemTypes, CFConcepts, CFSubjects) and the
codeMajor / severity / codeMinor vocabularies. Two rules are ours and stricter: ``language`` must
be a BCP 47 tag (the xs:language lexical space), and ``extensions`` must be an object.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

Schema = dict[str, Any]

UUID: Schema = {
    "type": "string",
    "format": "uuid",
    "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
}
URI: Schema = {"type": "string", "format": "uri"}
TEXT: Schema = {"type": "string"}
DATE: Schema = {"type": "string", "format": "date"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
LANGUAGE: Schema = {"type": "string", "pattern": "^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"}
EXTENSIONS: Schema = {"type": "object"}
TEXTS: Schema = {"type": "array", "items": TEXT}
EXT_NAME = "^ext:[A-Za-z0-9.\\-_]+$"


def _class(required: dict[str, Schema], optional: dict[str, Schema]) -> Schema:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **optional},
        "additionalProperties": False,
    }


LINK_URI = _class({"title": TEXT, "identifier": UUID, "uri": URI}, {})
LINK_GEN_URI = _class(
    {"title": TEXT, "identifier": TEXT, "uri": URI},
    {"targetType": {"anyOf": [{"enum": ["CASE"]}, {"type": "string", "pattern": EXT_NAME}]}},
)
ASSOCIATION_TYPE: Schema = {
    "anyOf": [
        {
            "enum": [
                "isChildOf",
                "isPeerOf",
                "isPartOf",
                "exactMatchOf",
                "precedes",
                "isRelatedTo",
                "replacedBy",
                "exemplar",
                "hasSkillLevel",
                "isTranslationOf",
            ]
        },
        {"type": "string", "pattern": EXT_NAME},
    ]
}

_DOCUMENT_REQUIRED = {
    "identifier": UUID,
    "uri": URI,
    "creator": TEXT,
    "title": TEXT,
    "lastChangeDateTime": DATE_TIME,
}
_DOCUMENT_OPTIONAL = {
    "frameworkType": TEXT,
    "caseVersion": {"enum": ["1.1"]},
    "officialSourceURL": URI,
    "publisher": TEXT,
    "description": TEXT,
    "subject": TEXTS,
    "subjectURI": {"type": "array", "items": LINK_URI},
    "language": LANGUAGE,
    "version": TEXT,
    "adoptionStatus": TEXT,
    "statusStartDate": DATE,
    "statusEndDate": DATE,
    "licenseURI": LINK_URI,
    "notes": TEXT,
    "extensions": EXTENSIONS,
}
PACKAGE_DOCUMENT = _class(_DOCUMENT_REQUIRED, _DOCUMENT_OPTIONAL)  # no CFPackageURI inside
DOCUMENT = _class({**_DOCUMENT_REQUIRED, "CFPackageURI": LINK_URI}, _DOCUMENT_OPTIONAL)

_ITEM_REQUIRED = {
    "identifier": UUID,
    "fullStatement": TEXT,
    "uri": URI,
    "lastChangeDateTime": DATE_TIME,
}
_ITEM_OPTIONAL = {
    "alternativeLabel": TEXT,
    "CFItemType": TEXT,
    "humanCodingScheme": TEXT,
    "listEnumeration": TEXT,
    "abbreviatedStatement": TEXT,
    "conceptKeywords": TEXTS,
    "conceptKeywordsURI": LINK_URI,
    "notes": TEXT,
    "subject": TEXTS,
    "subjectURI": {"type": "array", "items": LINK_URI},
    "language": LANGUAGE,
    "educationLevel": TEXTS,
    "CFItemTypeURI": LINK_URI,
    "licenseURI": LINK_URI,
    "statusStartDate": DATE,
    "statusEndDate": DATE,
    "extensions": EXTENSIONS,
}
PACKAGE_ITEM = _class(_ITEM_REQUIRED, _ITEM_OPTIONAL)
ITEM = _class({**_ITEM_REQUIRED, "CFDocumentURI": LINK_URI}, _ITEM_OPTIONAL)

_ASSOCIATION_REQUIRED = {
    "identifier": UUID,
    "associationType": ASSOCIATION_TYPE,
    "uri": URI,
    "originNodeURI": LINK_GEN_URI,
    "destinationNodeURI": LINK_GEN_URI,
    "lastChangeDateTime": DATE_TIME,
}
_ASSOCIATION_OPTIONAL = {
    "sequenceNumber": {"type": "integer"},
    "CFAssociationGroupingURI": LINK_URI,
    "notes": TEXT,
    "extensions": EXTENSIONS,
}
PACKAGE_ASSOCIATION = _class(_ASSOCIATION_REQUIRED, _ASSOCIATION_OPTIONAL)
ASSOCIATION = _class(_ASSOCIATION_REQUIRED, {**_ASSOCIATION_OPTIONAL, "CFDocumentURI": LINK_URI})

_BASE = {"identifier": UUID, "uri": URI}
CONCEPT = _class(
    {**_BASE, "title": TEXT, "hierarchyCode": TEXT, "lastChangeDateTime": DATE_TIME},
    {"keywords": TEXT, "description": TEXT, "extensions": EXTENSIONS},
)
SUBJECT = _class(
    {**_BASE, "title": TEXT, "hierarchyCode": TEXT, "lastChangeDateTime": DATE_TIME},
    {"description": TEXT, "extensions": EXTENSIONS},
)
LICENSE = _class(
    {**_BASE, "title": TEXT, "licenseText": TEXT, "lastChangeDateTime": DATE_TIME},
    {"description": TEXT, "extensions": EXTENSIONS},
)
ITEM_TYPE = _class(
    {
        **_BASE,
        "title": TEXT,
        "description": TEXT,
        "hierarchyCode": TEXT,
        "lastChangeDateTime": DATE_TIME,
    },
    {"typeCode": TEXT, "extensions": EXTENSIONS},
)
ASSOCIATION_GROUPING = _class(
    {**_BASE, "title": TEXT, "lastChangeDateTime": DATE_TIME},
    {"description": TEXT, "extensions": EXTENSIONS},
)
_LEVEL = _class(
    {**_BASE, "lastChangeDateTime": DATE_TIME},
    {
        "description": TEXT,
        "quality": TEXT,
        "score": {"type": "number"},
        "feedback": TEXT,
        "position": {"type": "integer"},
        "rubricCriterionId": UUID,
        "extensions": {"type": "array", "items": EXTENSIONS},
    },
)
_CRITERION = _class(
    {**_BASE, "lastChangeDateTime": DATE_TIME},
    {
        "category": TEXT,
        "description": TEXT,
        "CFItemURI": LINK_URI,
        "weight": {"type": "number"},
        "position": {"type": "integer"},
        "rubricId": UUID,
        "CFRubricCriterionLevels": {"type": "array", "items": _LEVEL},
        "extensions": EXTENSIONS,
    },
)
RUBRIC = _class(
    {**_BASE, "lastChangeDateTime": DATE_TIME},
    {
        "title": TEXT,
        "description": TEXT,
        "CFRubricCriteria": {"type": "array", "items": _CRITERION},
        "extensions": EXTENSIONS,
    },
)


def _array(item: Schema, minimum: int = 0) -> Schema:
    return {"type": "array", "items": item, "minItems": minimum}


def _set(name: str, item: Schema) -> Schema:
    return _class({name: _array(item, 1)}, {})


PACKAGE = _class(
    {"CFDocument": PACKAGE_DOCUMENT},
    {
        "CFItems": _array(PACKAGE_ITEM),
        "CFAssociations": _array(PACKAGE_ASSOCIATION),
        "CFDefinitions": _class(
            {},
            {
                "CFConcepts": _array(CONCEPT),
                "CFSubjects": _array(SUBJECT),
                "CFLicenses": _array(LICENSE),
                "CFItemTypes": _array(ITEM_TYPE),
                "CFAssociationGroupings": _array(ASSOCIATION_GROUPING),
                "extensions": EXTENSIONS,
            },
        ),
        "CFRubrics": _array(RUBRIC),
        "extensions": EXTENSIONS,
    },
)

STATUS_INFO = _class(
    {
        "imsx_codeMajor": {"enum": ["failure", "processing", "success", "unsupported"]},
        "imsx_severity": {"enum": ["error", "status", "warning"]},
    },
    {
        "imsx_description": TEXT,
        "imsx_codeMinor": _class(
            {
                "imsx_codeMinorField": _array(
                    _class(
                        {
                            "imsx_codeMinorFieldName": TEXT,
                            "imsx_codeMinorFieldValue": {
                                "enum": [
                                    "forbidden",
                                    "fullsuccess",
                                    "internal_server_error",
                                    "invalid_selection_field",
                                    "invalid_sort_field",
                                    "invalid_uuid",
                                    "server_busy",
                                    "unauthorised_request",
                                    "unknownobject",
                                ]
                            },
                        },
                        {},
                    ),
                    1,
                )
            },
            {},
        ),
    },
)

# The 200 response of each operation, by the collection in its path.
RESPONSES: dict[str, Schema] = {
    "CFDocuments": _set("CFDocuments", DOCUMENT),  # getAllCFDocuments
    "CFDocuments/{id}": DOCUMENT,
    "CFPackages/{id}": PACKAGE,
    "CFItems/{id}": ITEM,
    "CFItemAssociations/{id}": _class(
        {"CFItem": ITEM, "CFAssociations": _array(PACKAGE_ASSOCIATION, 1)}, {}
    ),
    "CFAssociations/{id}": ASSOCIATION,
    "CFItemTypes/{id}": _set("CFItemTypes", ITEM_TYPE),
    "CFConcepts/{id}": _set("CFConcepts", CONCEPT),
    "CFSubjects/{id}": _set("CFSubjects", SUBJECT),
    "CFLicenses/{id}": LICENSE,
    "CFAssociationGroupings/{id}": ASSOCIATION_GROUPING,
    "CFRubrics/{id}": RUBRIC,
}


def problems(schema: Schema, payload: Any) -> list[str]:
    """Every way ``payload`` breaks ``schema`` (formats asserted), as readable lines."""
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    return [f"{e.instance_path}: {e.message}"[:300] for e in validator.iter_errors(payload)]
