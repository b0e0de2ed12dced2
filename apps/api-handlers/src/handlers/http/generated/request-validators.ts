/**
 * DO NOT EDIT: generated from libs/contracts/openapi.yaml by
 * `nx run api-handlers:generate-validators` (apps/api-handlers/scripts/generate-validators.ts).
 * `nx run api-handlers:check-generated` (part of `npm test`) fails when this file is stale.
 *
 * Ajv's standalone code of the request validators: plain JavaScript, typed by the
 * `requestValidators` declaration at the end.
 */
/* eslint-disable */
// @ts-nocheck

import type { ValidateFunction } from 'ajv';
import type { RequestPlan } from '../request-schemas';
import * as runtime0 from 'ajv/dist/runtime/ucs2length';

export const validator0 = validate20;
const schema31 = { type: 'object', properties: {}, required: [], additionalProperties: false };
function validate20(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate20.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    for (const key0 in data) {
      const err0 = {
        instancePath,
        schemaPath: '#/additionalProperties',
        keyword: 'additionalProperties',
        params: { additionalProperty: key0 },
        message: 'must NOT have additional properties',
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
  } else {
    const err1 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err1];
    } else {
      vErrors.push(err1);
    }
    errors++;
  }
  validate20.errors = vErrors;
  return errors === 0;
}
validate20.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator1 = validate21;
const schema32 = {
  type: 'object',
  properties: {
    limit: { $ref: 'urn:tap:openapi#/components/parameters/PageLimit/schema' },
    cursor: { $ref: 'urn:tap:openapi#/components/parameters/PageCursor/schema' },
  },
  required: [],
  additionalProperties: false,
};
const schema34 = { type: 'integer', minimum: 1, maximum: 100, default: 20 };
const schema35 = { type: 'string', minLength: 1, maxLength: 2048 };
const func1 = runtime0.default;
function validate21(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate21.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(key0 === 'limit' || key0 === 'cursor')) {
        const err0 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.limit !== undefined) {
      let data0 = data.limit;
      if (!(typeof data0 == 'number' && !(data0 % 1) && !isNaN(data0) && isFinite(data0))) {
        const err1 = {
          instancePath: instancePath + '/limit',
          schemaPath: 'urn:tap:openapi#/components/parameters/PageLimit/schema/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
      if (typeof data0 == 'number' && isFinite(data0)) {
        if (data0 > 100 || isNaN(data0)) {
          const err2 = {
            instancePath: instancePath + '/limit',
            schemaPath: 'urn:tap:openapi#/components/parameters/PageLimit/schema/maximum',
            keyword: 'maximum',
            params: { comparison: '<=', limit: 100 },
            message: 'must be <= 100',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (data0 < 1 || isNaN(data0)) {
          const err3 = {
            instancePath: instancePath + '/limit',
            schemaPath: 'urn:tap:openapi#/components/parameters/PageLimit/schema/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: 1 },
            message: 'must be >= 1',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      }
    }
    if (data.cursor !== undefined) {
      let data1 = data.cursor;
      if (typeof data1 === 'string') {
        if (func1(data1) > 2048) {
          const err4 = {
            instancePath: instancePath + '/cursor',
            schemaPath: 'urn:tap:openapi#/components/parameters/PageCursor/schema/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
        if (func1(data1) < 1) {
          const err5 = {
            instancePath: instancePath + '/cursor',
            schemaPath: 'urn:tap:openapi#/components/parameters/PageCursor/schema/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      } else {
        const err6 = {
          instancePath: instancePath + '/cursor',
          schemaPath: 'urn:tap:openapi#/components/parameters/PageCursor/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
  } else {
    const err7 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err7];
    } else {
      vErrors.push(err7);
    }
    errors++;
  }
  validate21.errors = vErrors;
  return errors === 0;
}
validate21.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator2 = validate23;
const schema36 = { type: 'object', properties: {}, required: [], additionalProperties: true };
function validate23(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate23.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
  } else {
    const err0 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  validate23.errors = vErrors;
  return errors === 0;
}
validate23.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator3 = validate24;
const schema37 = {
  type: 'object',
  properties: {
    'Idempotency-Key': { $ref: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema' },
  },
  required: [],
  additionalProperties: true,
};
const schema38 = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]{1,255}$' };
const pattern4 = new RegExp('^[!-~]{1,255}$', 'u');
function validate24(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate24.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data['Idempotency-Key'] !== undefined) {
      let data0 = data['Idempotency-Key'];
      if (typeof data0 === 'string') {
        if (func1(data0) > 255) {
          const err0 = {
            instancePath: instancePath + '/Idempotency-Key',
            schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/maxLength',
            keyword: 'maxLength',
            params: { limit: 255 },
            message: 'must NOT have more than 255 characters',
          };
          if (vErrors === null) {
            vErrors = [err0];
          } else {
            vErrors.push(err0);
          }
          errors++;
        }
        if (func1(data0) < 1) {
          const err1 = {
            instancePath: instancePath + '/Idempotency-Key',
            schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
        if (!pattern4.test(data0)) {
          const err2 = {
            instancePath: instancePath + '/Idempotency-Key',
            schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/pattern',
            keyword: 'pattern',
            params: { pattern: '^[!-~]{1,255}$' },
            message: 'must match pattern "' + '^[!-~]{1,255}$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath: instancePath + '/Idempotency-Key',
          schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
  } else {
    const err4 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err4];
    } else {
      vErrors.push(err4);
    }
    errors++;
  }
  validate24.errors = vErrors;
  return errors === 0;
}
validate24.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator4 = validate25;
const schema39 = {
  $ref: 'urn:tap:openapi#/paths/~1api~1items/post/requestBody/content/application~1json/schema',
};
const schema40 = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    tags: { $ref: '#/components/schemas/Tags' },
    attributes: { $ref: '#/components/schemas/Attributes' },
  },
};
const schema41 = {
  type: 'array',
  maxItems: 20,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 50 },
};
const schema42 = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
  additionalProperties: { $ref: '#/components/schemas/AttributeValue' },
};
const schema43 = {
  oneOf: [
    { type: 'string', maxLength: 500 },
    { type: 'number', minimum: -1000000000000000, maximum: 1000000000000000 },
    { type: 'boolean' },
  ],
};
const pattern5 = new RegExp('^[A-Za-z0-9_.:-]{1,64}$', 'u');
function validate27(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate27.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (Object.keys(data).length > 50) {
      const err0 = {
        instancePath,
        schemaPath: '#/maxProperties',
        keyword: 'maxProperties',
        params: { limit: 50 },
        message: 'must NOT have more than 50 properties',
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      const _errs1 = errors;
      if (typeof key0 === 'string') {
        if (!pattern5.test(key0)) {
          const err1 = {
            instancePath,
            schemaPath: '#/propertyNames/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_.:-]{1,64}$' + '"',
            propertyName: key0,
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
      }
      var valid0 = _errs1 === errors;
      if (!valid0) {
        const err2 = {
          instancePath,
          schemaPath: '#/propertyNames',
          keyword: 'propertyNames',
          params: { propertyName: key0 },
          message: 'property name must be valid',
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    for (const key1 in data) {
      let data0 = data[key1];
      const _errs5 = errors;
      let valid3 = false;
      let passing0 = null;
      const _errs6 = errors;
      if (typeof data0 === 'string') {
        if (func1(data0) > 500) {
          const err3 = {
            instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
            schemaPath: '#/components/schemas/AttributeValue/oneOf/0/maxLength',
            keyword: 'maxLength',
            params: { limit: 500 },
            message: 'must NOT have more than 500 characters',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
          schemaPath: '#/components/schemas/AttributeValue/oneOf/0/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
      var _valid0 = _errs6 === errors;
      if (_valid0) {
        valid3 = true;
        passing0 = 0;
      }
      const _errs8 = errors;
      if (typeof data0 == 'number' && isFinite(data0)) {
        if (data0 > 1000000000000000 || isNaN(data0)) {
          const err5 = {
            instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
            schemaPath: '#/components/schemas/AttributeValue/oneOf/1/maximum',
            keyword: 'maximum',
            params: { comparison: '<=', limit: 1000000000000000 },
            message: 'must be <= 1000000000000000',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
        if (data0 < -1000000000000000 || isNaN(data0)) {
          const err6 = {
            instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
            schemaPath: '#/components/schemas/AttributeValue/oneOf/1/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: -1000000000000000 },
            message: 'must be >= -1000000000000000',
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = {
          instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
          schemaPath: '#/components/schemas/AttributeValue/oneOf/1/type',
          keyword: 'type',
          params: { type: 'number' },
          message: 'must be number',
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      var _valid0 = _errs8 === errors;
      if (_valid0 && valid3) {
        valid3 = false;
        passing0 = [passing0, 1];
      } else {
        if (_valid0) {
          valid3 = true;
          passing0 = 1;
        }
        const _errs10 = errors;
        if (typeof data0 !== 'boolean') {
          const err8 = {
            instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
            schemaPath: '#/components/schemas/AttributeValue/oneOf/2/type',
            keyword: 'type',
            params: { type: 'boolean' },
            message: 'must be boolean',
          };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        var _valid0 = _errs10 === errors;
        if (_valid0 && valid3) {
          valid3 = false;
          passing0 = [passing0, 2];
        } else {
          if (_valid0) {
            valid3 = true;
            passing0 = 2;
          }
        }
      }
      if (!valid3) {
        const err9 = {
          instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
          schemaPath: '#/components/schemas/AttributeValue/oneOf',
          keyword: 'oneOf',
          params: { passingSchemas: passing0 },
          message: 'must match exactly one schema in oneOf',
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      } else {
        errors = _errs5;
        if (vErrors !== null) {
          if (_errs5) {
            vErrors.length = _errs5;
          } else {
            vErrors = null;
          }
        }
      }
    }
  } else {
    const err10 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err10];
    } else {
      vErrors.push(err10);
    }
    errors++;
  }
  validate27.errors = vErrors;
  return errors === 0;
}
validate27.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate26(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate26.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.name === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'name' },
        message: "must have required property '" + 'name' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(
        key0 === 'name' ||
        key0 === 'description' ||
        key0 === 'tags' ||
        key0 === 'attributes'
      )) {
        const err1 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.name !== undefined) {
      let data0 = data.name;
      if (typeof data0 === 'string') {
        if (func1(data0) > 200) {
          const err2 = {
            instancePath: instancePath + '/name',
            schemaPath: '#/properties/name/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (func1(data0) < 1) {
          const err3 = {
            instancePath: instancePath + '/name',
            schemaPath: '#/properties/name/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/name',
          schemaPath: '#/properties/name/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.description !== undefined) {
      let data1 = data.description;
      if (typeof data1 === 'string') {
        if (func1(data1) > 2000) {
          const err5 = {
            instancePath: instancePath + '/description',
            schemaPath: '#/properties/description/maxLength',
            keyword: 'maxLength',
            params: { limit: 2000 },
            message: 'must NOT have more than 2000 characters',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      } else {
        const err6 = {
          instancePath: instancePath + '/description',
          schemaPath: '#/properties/description/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.tags !== undefined) {
      let data2 = data.tags;
      if (Array.isArray(data2)) {
        if (data2.length > 20) {
          const err7 = {
            instancePath: instancePath + '/tags',
            schemaPath: '#/components/schemas/Tags/maxItems',
            keyword: 'maxItems',
            params: { limit: 20 },
            message: 'must NOT have more than 20 items',
          };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
        const len0 = data2.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data3 = data2[i0];
          if (typeof data3 === 'string') {
            if (func1(data3) > 50) {
              const err8 = {
                instancePath: instancePath + '/tags/' + i0,
                schemaPath: '#/components/schemas/Tags/items/maxLength',
                keyword: 'maxLength',
                params: { limit: 50 },
                message: 'must NOT have more than 50 characters',
              };
              if (vErrors === null) {
                vErrors = [err8];
              } else {
                vErrors.push(err8);
              }
              errors++;
            }
            if (func1(data3) < 1) {
              const err9 = {
                instancePath: instancePath + '/tags/' + i0,
                schemaPath: '#/components/schemas/Tags/items/minLength',
                keyword: 'minLength',
                params: { limit: 1 },
                message: 'must NOT have fewer than 1 characters',
              };
              if (vErrors === null) {
                vErrors = [err9];
              } else {
                vErrors.push(err9);
              }
              errors++;
            }
          } else {
            const err10 = {
              instancePath: instancePath + '/tags/' + i0,
              schemaPath: '#/components/schemas/Tags/items/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
        let i1 = data2.length;
        let j0;
        if (i1 > 1) {
          const indices0 = {};
          for (; i1--;) {
            let item0 = data2[i1];
            if (typeof item0 !== 'string') {
              continue;
            }
            if (typeof indices0[item0] == 'number') {
              j0 = indices0[item0];
              const err11 = {
                instancePath: instancePath + '/tags',
                schemaPath: '#/components/schemas/Tags/uniqueItems',
                keyword: 'uniqueItems',
                params: { i: i1, j: j0 },
                message:
                  'must NOT have duplicate items (items ## ' +
                  j0 +
                  ' and ' +
                  i1 +
                  ' are identical)',
              };
              if (vErrors === null) {
                vErrors = [err11];
              } else {
                vErrors.push(err11);
              }
              errors++;
              break;
            }
            indices0[item0] = i1;
          }
        }
      } else {
        const err12 = {
          instancePath: instancePath + '/tags',
          schemaPath: '#/components/schemas/Tags/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
    }
    if (data.attributes !== undefined) {
      if (
        !validate27(data.attributes, {
          instancePath: instancePath + '/attributes',
          parentData: data,
          parentDataProperty: 'attributes',
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err13 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err13];
    } else {
      vErrors.push(err13);
    }
    errors++;
  }
  validate26.errors = vErrors;
  return errors === 0;
}
validate26.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate25(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate25.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (
    !validate26(data, { instancePath, parentData, parentDataProperty, rootData, dynamicAnchors })
  ) {
    vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
    errors = vErrors.length;
  }
  validate25.errors = vErrors;
  return errors === 0;
}
validate25.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator5 = validate30;
const schema44 = {
  type: 'object',
  properties: { id: { $ref: 'urn:tap:openapi#/components/parameters/ItemId/schema' } },
  required: ['id'],
  additionalProperties: false,
};
const schema45 = { type: 'string', format: 'uuid' };
const formats0 = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
function validate30(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate30.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.id === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'id' },
        message: "must have required property '" + 'id' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === 'id')) {
        const err1 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.id !== undefined) {
      let data0 = data.id;
      if (typeof data0 === 'string') {
        if (!formats0.test(data0)) {
          const err2 = {
            instancePath: instancePath + '/id',
            schemaPath: 'urn:tap:openapi#/components/parameters/ItemId/schema/format',
            keyword: 'format',
            params: { format: 'uuid' },
            message: 'must match format "' + 'uuid' + '"',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath: instancePath + '/id',
          schemaPath: 'urn:tap:openapi#/components/parameters/ItemId/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
  } else {
    const err4 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err4];
    } else {
      vErrors.push(err4);
    }
    errors++;
  }
  validate30.errors = vErrors;
  return errors === 0;
}
validate30.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator6 = validate31;
const schema46 = {
  type: 'object',
  properties: {
    'If-Match': { $ref: 'urn:tap:openapi#/components/parameters/IfMatch/schema' },
    'Idempotency-Key': { $ref: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema' },
  },
  required: [],
  additionalProperties: true,
};
const schema47 = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^(\\*|(W/)?"[1-9][0-9]{0,14}")$',
};
const pattern6 = new RegExp('^(\\*|(W/)?"[1-9][0-9]{0,14}")$', 'u');
function validate31(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate31.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data['If-Match'] !== undefined) {
      let data0 = data['If-Match'];
      if (typeof data0 === 'string') {
        if (func1(data0) > 100) {
          const err0 = {
            instancePath: instancePath + '/If-Match',
            schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/maxLength',
            keyword: 'maxLength',
            params: { limit: 100 },
            message: 'must NOT have more than 100 characters',
          };
          if (vErrors === null) {
            vErrors = [err0];
          } else {
            vErrors.push(err0);
          }
          errors++;
        }
        if (func1(data0) < 1) {
          const err1 = {
            instancePath: instancePath + '/If-Match',
            schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
        if (!pattern6.test(data0)) {
          const err2 = {
            instancePath: instancePath + '/If-Match',
            schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/pattern',
            keyword: 'pattern',
            params: { pattern: '^(\\*|(W/)?"[1-9][0-9]{0,14}")$' },
            message: 'must match pattern "' + '^(\\*|(W/)?"[1-9][0-9]{0,14}")$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath: instancePath + '/If-Match',
          schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data['Idempotency-Key'] !== undefined) {
      let data1 = data['Idempotency-Key'];
      if (typeof data1 === 'string') {
        if (func1(data1) > 255) {
          const err4 = {
            instancePath: instancePath + '/Idempotency-Key',
            schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/maxLength',
            keyword: 'maxLength',
            params: { limit: 255 },
            message: 'must NOT have more than 255 characters',
          };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
        if (func1(data1) < 1) {
          const err5 = {
            instancePath: instancePath + '/Idempotency-Key',
            schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
        if (!pattern4.test(data1)) {
          const err6 = {
            instancePath: instancePath + '/Idempotency-Key',
            schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/pattern',
            keyword: 'pattern',
            params: { pattern: '^[!-~]{1,255}$' },
            message: 'must match pattern "' + '^[!-~]{1,255}$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = {
          instancePath: instancePath + '/Idempotency-Key',
          schemaPath: 'urn:tap:openapi#/components/parameters/IdempotencyKey/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
    }
  } else {
    const err8 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err8];
    } else {
      vErrors.push(err8);
    }
    errors++;
  }
  validate31.errors = vErrors;
  return errors === 0;
}
validate31.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator7 = validate32;
const schema49 = {
  $ref: 'urn:tap:openapi#/paths/~1api~1items~1{id}/patch/requestBody/content/application~1json/schema',
};
const schema50 = {
  description: 'A JSON merge patch (RFC 7396) of the mutable fields.',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: ['string', 'null'], maxLength: 2000 },
    tags: { oneOf: [{ $ref: '#/components/schemas/Tags' }, { type: 'null' }] },
    attributes: {
      oneOf: [
        {
          type: 'object',
          maxProperties: 50,
          propertyNames: { pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
          additionalProperties: {
            oneOf: [{ $ref: '#/components/schemas/AttributeValue' }, { type: 'null' }],
          },
        },
        { type: 'null' },
      ],
    },
  },
};
function validate33(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate33.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err0 = {
        instancePath,
        schemaPath: '#/minProperties',
        keyword: 'minProperties',
        params: { limit: 1 },
        message: 'must NOT have fewer than 1 properties',
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(
        key0 === 'name' ||
        key0 === 'description' ||
        key0 === 'tags' ||
        key0 === 'attributes'
      )) {
        const err1 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.name !== undefined) {
      let data0 = data.name;
      if (typeof data0 === 'string') {
        if (func1(data0) > 200) {
          const err2 = {
            instancePath: instancePath + '/name',
            schemaPath: '#/properties/name/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (func1(data0) < 1) {
          const err3 = {
            instancePath: instancePath + '/name',
            schemaPath: '#/properties/name/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/name',
          schemaPath: '#/properties/name/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.description !== undefined) {
      let data1 = data.description;
      if (typeof data1 !== 'string' && data1 !== null) {
        const err5 = {
          instancePath: instancePath + '/description',
          schemaPath: '#/properties/description/type',
          keyword: 'type',
          params: { type: schema50.properties.description.type },
          message: 'must be string,null',
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
      if (typeof data1 === 'string') {
        if (func1(data1) > 2000) {
          const err6 = {
            instancePath: instancePath + '/description',
            schemaPath: '#/properties/description/maxLength',
            keyword: 'maxLength',
            params: { limit: 2000 },
            message: 'must NOT have more than 2000 characters',
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      }
    }
    if (data.tags !== undefined) {
      let data2 = data.tags;
      const _errs7 = errors;
      let valid1 = false;
      let passing0 = null;
      const _errs8 = errors;
      if (Array.isArray(data2)) {
        if (data2.length > 20) {
          const err7 = {
            instancePath: instancePath + '/tags',
            schemaPath: '#/components/schemas/Tags/maxItems',
            keyword: 'maxItems',
            params: { limit: 20 },
            message: 'must NOT have more than 20 items',
          };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
        const len0 = data2.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data3 = data2[i0];
          if (typeof data3 === 'string') {
            if (func1(data3) > 50) {
              const err8 = {
                instancePath: instancePath + '/tags/' + i0,
                schemaPath: '#/components/schemas/Tags/items/maxLength',
                keyword: 'maxLength',
                params: { limit: 50 },
                message: 'must NOT have more than 50 characters',
              };
              if (vErrors === null) {
                vErrors = [err8];
              } else {
                vErrors.push(err8);
              }
              errors++;
            }
            if (func1(data3) < 1) {
              const err9 = {
                instancePath: instancePath + '/tags/' + i0,
                schemaPath: '#/components/schemas/Tags/items/minLength',
                keyword: 'minLength',
                params: { limit: 1 },
                message: 'must NOT have fewer than 1 characters',
              };
              if (vErrors === null) {
                vErrors = [err9];
              } else {
                vErrors.push(err9);
              }
              errors++;
            }
          } else {
            const err10 = {
              instancePath: instancePath + '/tags/' + i0,
              schemaPath: '#/components/schemas/Tags/items/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
        let i1 = data2.length;
        let j0;
        if (i1 > 1) {
          const indices0 = {};
          for (; i1--;) {
            let item0 = data2[i1];
            if (typeof item0 !== 'string') {
              continue;
            }
            if (typeof indices0[item0] == 'number') {
              j0 = indices0[item0];
              const err11 = {
                instancePath: instancePath + '/tags',
                schemaPath: '#/components/schemas/Tags/uniqueItems',
                keyword: 'uniqueItems',
                params: { i: i1, j: j0 },
                message:
                  'must NOT have duplicate items (items ## ' +
                  j0 +
                  ' and ' +
                  i1 +
                  ' are identical)',
              };
              if (vErrors === null) {
                vErrors = [err11];
              } else {
                vErrors.push(err11);
              }
              errors++;
              break;
            }
            indices0[item0] = i1;
          }
        }
      } else {
        const err12 = {
          instancePath: instancePath + '/tags',
          schemaPath: '#/components/schemas/Tags/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
      var _valid0 = _errs8 === errors;
      if (_valid0) {
        valid1 = true;
        passing0 = 0;
      }
      const _errs13 = errors;
      if (data2 !== null) {
        const err13 = {
          instancePath: instancePath + '/tags',
          schemaPath: '#/properties/tags/oneOf/1/type',
          keyword: 'type',
          params: { type: 'null' },
          message: 'must be null',
        };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
      var _valid0 = _errs13 === errors;
      if (_valid0 && valid1) {
        valid1 = false;
        passing0 = [passing0, 1];
      } else {
        if (_valid0) {
          valid1 = true;
          passing0 = 1;
        }
      }
      if (!valid1) {
        const err14 = {
          instancePath: instancePath + '/tags',
          schemaPath: '#/properties/tags/oneOf',
          keyword: 'oneOf',
          params: { passingSchemas: passing0 },
          message: 'must match exactly one schema in oneOf',
        };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      } else {
        errors = _errs7;
        if (vErrors !== null) {
          if (_errs7) {
            vErrors.length = _errs7;
          } else {
            vErrors = null;
          }
        }
      }
    }
    if (data.attributes !== undefined) {
      let data4 = data.attributes;
      const _errs16 = errors;
      let valid6 = false;
      let passing1 = null;
      const _errs17 = errors;
      if (data4 && typeof data4 == 'object' && !Array.isArray(data4)) {
        if (Object.keys(data4).length > 50) {
          const err15 = {
            instancePath: instancePath + '/attributes',
            schemaPath: '#/properties/attributes/oneOf/0/maxProperties',
            keyword: 'maxProperties',
            params: { limit: 50 },
            message: 'must NOT have more than 50 properties',
          };
          if (vErrors === null) {
            vErrors = [err15];
          } else {
            vErrors.push(err15);
          }
          errors++;
        }
        for (const key1 in data4) {
          const _errs19 = errors;
          if (typeof key1 === 'string') {
            if (!pattern5.test(key1)) {
              const err16 = {
                instancePath: instancePath + '/attributes',
                schemaPath: '#/properties/attributes/oneOf/0/propertyNames/pattern',
                keyword: 'pattern',
                params: { pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
                message: 'must match pattern "' + '^[A-Za-z0-9_.:-]{1,64}$' + '"',
                propertyName: key1,
              };
              if (vErrors === null) {
                vErrors = [err16];
              } else {
                vErrors.push(err16);
              }
              errors++;
            }
          }
          var valid7 = _errs19 === errors;
          if (!valid7) {
            const err17 = {
              instancePath: instancePath + '/attributes',
              schemaPath: '#/properties/attributes/oneOf/0/propertyNames',
              keyword: 'propertyNames',
              params: { propertyName: key1 },
              message: 'property name must be valid',
            };
            if (vErrors === null) {
              vErrors = [err17];
            } else {
              vErrors.push(err17);
            }
            errors++;
          }
        }
        for (const key2 in data4) {
          let data5 = data4[key2];
          const _errs22 = errors;
          let valid9 = false;
          let passing2 = null;
          const _errs23 = errors;
          const _errs25 = errors;
          let valid11 = false;
          let passing3 = null;
          const _errs26 = errors;
          if (typeof data5 === 'string') {
            if (func1(data5) > 500) {
              const err18 = {
                instancePath:
                  instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
                schemaPath: '#/components/schemas/AttributeValue/oneOf/0/maxLength',
                keyword: 'maxLength',
                params: { limit: 500 },
                message: 'must NOT have more than 500 characters',
              };
              if (vErrors === null) {
                vErrors = [err18];
              } else {
                vErrors.push(err18);
              }
              errors++;
            }
          } else {
            const err19 = {
              instancePath:
                instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
              schemaPath: '#/components/schemas/AttributeValue/oneOf/0/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err19];
            } else {
              vErrors.push(err19);
            }
            errors++;
          }
          var _valid3 = _errs26 === errors;
          if (_valid3) {
            valid11 = true;
            passing3 = 0;
          }
          const _errs28 = errors;
          if (typeof data5 == 'number' && isFinite(data5)) {
            if (data5 > 1000000000000000 || isNaN(data5)) {
              const err20 = {
                instancePath:
                  instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
                schemaPath: '#/components/schemas/AttributeValue/oneOf/1/maximum',
                keyword: 'maximum',
                params: { comparison: '<=', limit: 1000000000000000 },
                message: 'must be <= 1000000000000000',
              };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
            if (data5 < -1000000000000000 || isNaN(data5)) {
              const err21 = {
                instancePath:
                  instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
                schemaPath: '#/components/schemas/AttributeValue/oneOf/1/minimum',
                keyword: 'minimum',
                params: { comparison: '>=', limit: -1000000000000000 },
                message: 'must be >= -1000000000000000',
              };
              if (vErrors === null) {
                vErrors = [err21];
              } else {
                vErrors.push(err21);
              }
              errors++;
            }
          } else {
            const err22 = {
              instancePath:
                instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
              schemaPath: '#/components/schemas/AttributeValue/oneOf/1/type',
              keyword: 'type',
              params: { type: 'number' },
              message: 'must be number',
            };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
          var _valid3 = _errs28 === errors;
          if (_valid3 && valid11) {
            valid11 = false;
            passing3 = [passing3, 1];
          } else {
            if (_valid3) {
              valid11 = true;
              passing3 = 1;
            }
            const _errs30 = errors;
            if (typeof data5 !== 'boolean') {
              const err23 = {
                instancePath:
                  instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
                schemaPath: '#/components/schemas/AttributeValue/oneOf/2/type',
                keyword: 'type',
                params: { type: 'boolean' },
                message: 'must be boolean',
              };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
            var _valid3 = _errs30 === errors;
            if (_valid3 && valid11) {
              valid11 = false;
              passing3 = [passing3, 2];
            } else {
              if (_valid3) {
                valid11 = true;
                passing3 = 2;
              }
            }
          }
          if (!valid11) {
            const err24 = {
              instancePath:
                instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
              schemaPath: '#/components/schemas/AttributeValue/oneOf',
              keyword: 'oneOf',
              params: { passingSchemas: passing3 },
              message: 'must match exactly one schema in oneOf',
            };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          } else {
            errors = _errs25;
            if (vErrors !== null) {
              if (_errs25) {
                vErrors.length = _errs25;
              } else {
                vErrors = null;
              }
            }
          }
          var _valid2 = _errs23 === errors;
          if (_valid2) {
            valid9 = true;
            passing2 = 0;
          }
          const _errs32 = errors;
          if (data5 !== null) {
            const err25 = {
              instancePath:
                instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
              schemaPath: '#/properties/attributes/oneOf/0/additionalProperties/oneOf/1/type',
              keyword: 'type',
              params: { type: 'null' },
              message: 'must be null',
            };
            if (vErrors === null) {
              vErrors = [err25];
            } else {
              vErrors.push(err25);
            }
            errors++;
          }
          var _valid2 = _errs32 === errors;
          if (_valid2 && valid9) {
            valid9 = false;
            passing2 = [passing2, 1];
          } else {
            if (_valid2) {
              valid9 = true;
              passing2 = 1;
            }
          }
          if (!valid9) {
            const err26 = {
              instancePath:
                instancePath + '/attributes/' + key2.replace(/~/g, '~0').replace(/\//g, '~1'),
              schemaPath: '#/properties/attributes/oneOf/0/additionalProperties/oneOf',
              keyword: 'oneOf',
              params: { passingSchemas: passing2 },
              message: 'must match exactly one schema in oneOf',
            };
            if (vErrors === null) {
              vErrors = [err26];
            } else {
              vErrors.push(err26);
            }
            errors++;
          } else {
            errors = _errs22;
            if (vErrors !== null) {
              if (_errs22) {
                vErrors.length = _errs22;
              } else {
                vErrors = null;
              }
            }
          }
        }
      } else {
        const err27 = {
          instancePath: instancePath + '/attributes',
          schemaPath: '#/properties/attributes/oneOf/0/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err27];
        } else {
          vErrors.push(err27);
        }
        errors++;
      }
      var _valid1 = _errs17 === errors;
      if (_valid1) {
        valid6 = true;
        passing1 = 0;
      }
      const _errs34 = errors;
      if (data4 !== null) {
        const err28 = {
          instancePath: instancePath + '/attributes',
          schemaPath: '#/properties/attributes/oneOf/1/type',
          keyword: 'type',
          params: { type: 'null' },
          message: 'must be null',
        };
        if (vErrors === null) {
          vErrors = [err28];
        } else {
          vErrors.push(err28);
        }
        errors++;
      }
      var _valid1 = _errs34 === errors;
      if (_valid1 && valid6) {
        valid6 = false;
        passing1 = [passing1, 1];
      } else {
        if (_valid1) {
          valid6 = true;
          passing1 = 1;
        }
      }
      if (!valid6) {
        const err29 = {
          instancePath: instancePath + '/attributes',
          schemaPath: '#/properties/attributes/oneOf',
          keyword: 'oneOf',
          params: { passingSchemas: passing1 },
          message: 'must match exactly one schema in oneOf',
        };
        if (vErrors === null) {
          vErrors = [err29];
        } else {
          vErrors.push(err29);
        }
        errors++;
      } else {
        errors = _errs16;
        if (vErrors !== null) {
          if (_errs16) {
            vErrors.length = _errs16;
          } else {
            vErrors = null;
          }
        }
      }
    }
  } else {
    const err30 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err30];
    } else {
      vErrors.push(err30);
    }
    errors++;
  }
  validate33.errors = vErrors;
  return errors === 0;
}
validate33.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate32(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate32.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (
    !validate33(data, { instancePath, parentData, parentDataProperty, rootData, dynamicAnchors })
  ) {
    vErrors = vErrors === null ? validate33.errors : vErrors.concat(validate33.errors);
    errors = vErrors.length;
  }
  validate32.errors = vErrors;
  return errors === 0;
}
validate32.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator8 = validate35;
const schema53 = {
  type: 'object',
  properties: { 'If-Match': { $ref: 'urn:tap:openapi#/components/parameters/IfMatch/schema' } },
  required: [],
  additionalProperties: true,
};
function validate35(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate35.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data['If-Match'] !== undefined) {
      let data0 = data['If-Match'];
      if (typeof data0 === 'string') {
        if (func1(data0) > 100) {
          const err0 = {
            instancePath: instancePath + '/If-Match',
            schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/maxLength',
            keyword: 'maxLength',
            params: { limit: 100 },
            message: 'must NOT have more than 100 characters',
          };
          if (vErrors === null) {
            vErrors = [err0];
          } else {
            vErrors.push(err0);
          }
          errors++;
        }
        if (func1(data0) < 1) {
          const err1 = {
            instancePath: instancePath + '/If-Match',
            schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
        if (!pattern6.test(data0)) {
          const err2 = {
            instancePath: instancePath + '/If-Match',
            schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/pattern',
            keyword: 'pattern',
            params: { pattern: '^(\\*|(W/)?"[1-9][0-9]{0,14}")$' },
            message: 'must match pattern "' + '^(\\*|(W/)?"[1-9][0-9]{0,14}")$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath: instancePath + '/If-Match',
          schemaPath: 'urn:tap:openapi#/components/parameters/IfMatch/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
  } else {
    const err4 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err4];
    } else {
      vErrors.push(err4);
    }
    errors++;
  }
  validate35.errors = vErrors;
  return errors === 0;
}
validate35.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator9 = validate36;
const schema55 = {
  $ref: 'urn:tap:openapi#/paths/~1api~1items~1{id}~1files/post/requestBody/content/application~1json/schema',
};
const schema56 = {
  type: 'object',
  additionalProperties: false,
  required: ['fileName', 'contentType', 'contentLength'],
  properties: {
    fileName: {
      description: 'The name to download the file as; kept as given.',
      type: 'string',
      minLength: 1,
      maxLength: 255,
    },
    contentType: { $ref: '#/components/schemas/FileContentType' },
    contentLength: {
      description:
        "Size in bytes; at most the stack's upload limit (10 MiB by default). The maximum\nis S3's ceiling for one PUT (5 GiB), the largest limit a stack may set.\n",
      type: 'integer',
      minimum: 1,
      maximum: 5368709120,
    },
  },
};
const schema57 = {
  description: 'The content types a file may be uploaded as.',
  type: 'string',
  enum: [
    'application/gzip',
    'application/json',
    'application/octet-stream',
    'application/pdf',
    'application/xml',
    'application/zip',
    'audio/mpeg',
    'image/gif',
    'image/jpeg',
    'image/png',
    'image/svg+xml',
    'image/webp',
    'text/csv',
    'text/html',
    'text/markdown',
    'text/plain',
    'video/mp4',
  ],
};
function validate37(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate37.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.fileName === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'fileName' },
        message: "must have required property '" + 'fileName' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.contentType === undefined) {
      const err1 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'contentType' },
        message: "must have required property '" + 'contentType' + "'",
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    if (data.contentLength === undefined) {
      const err2 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'contentLength' },
        message: "must have required property '" + 'contentLength' + "'",
      };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === 'fileName' || key0 === 'contentType' || key0 === 'contentLength')) {
        const err3 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.fileName !== undefined) {
      let data0 = data.fileName;
      if (typeof data0 === 'string') {
        if (func1(data0) > 255) {
          const err4 = {
            instancePath: instancePath + '/fileName',
            schemaPath: '#/properties/fileName/maxLength',
            keyword: 'maxLength',
            params: { limit: 255 },
            message: 'must NOT have more than 255 characters',
          };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
        if (func1(data0) < 1) {
          const err5 = {
            instancePath: instancePath + '/fileName',
            schemaPath: '#/properties/fileName/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      } else {
        const err6 = {
          instancePath: instancePath + '/fileName',
          schemaPath: '#/properties/fileName/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.contentType !== undefined) {
      let data1 = data.contentType;
      if (typeof data1 !== 'string') {
        const err7 = {
          instancePath: instancePath + '/contentType',
          schemaPath: '#/components/schemas/FileContentType/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      if (!(
        data1 === 'application/gzip' ||
        data1 === 'application/json' ||
        data1 === 'application/octet-stream' ||
        data1 === 'application/pdf' ||
        data1 === 'application/xml' ||
        data1 === 'application/zip' ||
        data1 === 'audio/mpeg' ||
        data1 === 'image/gif' ||
        data1 === 'image/jpeg' ||
        data1 === 'image/png' ||
        data1 === 'image/svg+xml' ||
        data1 === 'image/webp' ||
        data1 === 'text/csv' ||
        data1 === 'text/html' ||
        data1 === 'text/markdown' ||
        data1 === 'text/plain' ||
        data1 === 'video/mp4'
      )) {
        const err8 = {
          instancePath: instancePath + '/contentType',
          schemaPath: '#/components/schemas/FileContentType/enum',
          keyword: 'enum',
          params: { allowedValues: schema57.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
    if (data.contentLength !== undefined) {
      let data2 = data.contentLength;
      if (!(typeof data2 == 'number' && !(data2 % 1) && !isNaN(data2) && isFinite(data2))) {
        const err9 = {
          instancePath: instancePath + '/contentLength',
          schemaPath: '#/properties/contentLength/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
      if (typeof data2 == 'number' && isFinite(data2)) {
        if (data2 > 5368709120 || isNaN(data2)) {
          const err10 = {
            instancePath: instancePath + '/contentLength',
            schemaPath: '#/properties/contentLength/maximum',
            keyword: 'maximum',
            params: { comparison: '<=', limit: 5368709120 },
            message: 'must be <= 5368709120',
          };
          if (vErrors === null) {
            vErrors = [err10];
          } else {
            vErrors.push(err10);
          }
          errors++;
        }
        if (data2 < 1 || isNaN(data2)) {
          const err11 = {
            instancePath: instancePath + '/contentLength',
            schemaPath: '#/properties/contentLength/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: 1 },
            message: 'must be >= 1',
          };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
      }
    }
  } else {
    const err12 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err12];
    } else {
      vErrors.push(err12);
    }
    errors++;
  }
  validate37.errors = vErrors;
  return errors === 0;
}
validate37.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate36(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate36.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (
    !validate37(data, { instancePath, parentData, parentDataProperty, rootData, dynamicAnchors })
  ) {
    vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
    errors = vErrors.length;
  }
  validate36.errors = vErrors;
  return errors === 0;
}
validate36.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
export const validator10 = validate39;
const schema58 = {
  type: 'object',
  properties: {
    id: { $ref: 'urn:tap:openapi#/components/parameters/ItemId/schema' },
    fileId: { $ref: 'urn:tap:openapi#/components/parameters/FileId/schema' },
  },
  required: ['id', 'fileId'],
  additionalProperties: false,
};
const schema60 = { type: 'string', format: 'uuid' };
function validate39(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate39.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.id === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'id' },
        message: "must have required property '" + 'id' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.fileId === undefined) {
      const err1 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'fileId' },
        message: "must have required property '" + 'fileId' + "'",
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === 'id' || key0 === 'fileId')) {
        const err2 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.id !== undefined) {
      let data0 = data.id;
      if (typeof data0 === 'string') {
        if (!formats0.test(data0)) {
          const err3 = {
            instancePath: instancePath + '/id',
            schemaPath: 'urn:tap:openapi#/components/parameters/ItemId/schema/format',
            keyword: 'format',
            params: { format: 'uuid' },
            message: 'must match format "' + 'uuid' + '"',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/id',
          schemaPath: 'urn:tap:openapi#/components/parameters/ItemId/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.fileId !== undefined) {
      let data1 = data.fileId;
      if (typeof data1 === 'string') {
        if (!formats0.test(data1)) {
          const err5 = {
            instancePath: instancePath + '/fileId',
            schemaPath: 'urn:tap:openapi#/components/parameters/FileId/schema/format',
            keyword: 'format',
            params: { format: 'uuid' },
            message: 'must match format "' + 'uuid' + '"',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      } else {
        const err6 = {
          instancePath: instancePath + '/fileId',
          schemaPath: 'urn:tap:openapi#/components/parameters/FileId/schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
  } else {
    const err7 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };
    if (vErrors === null) {
      vErrors = [err7];
    } else {
      vErrors.push(err7);
    }
    errors++;
  }
  validate39.errors = vErrors;
  return errors === 0;
}
validate39.evaluated = { props: true, dynamicProps: false, dynamicItems: false };

/** The validator of each request part, by `<operationId>/<path|query|header|body>`. */
export const requestValidators: Readonly<Record<string, ValidateFunction>> = {
  'listItems/path': validator0,
  'listItems/query': validator1,
  'listItems/header': validator2,
  'createItem/path': validator0,
  'createItem/query': validator0,
  'createItem/header': validator3,
  'createItem/body': validator4,
  'getItem/path': validator5,
  'getItem/query': validator0,
  'getItem/header': validator2,
  'updateItem/path': validator5,
  'updateItem/query': validator0,
  'updateItem/header': validator6,
  'updateItem/body': validator7,
  'deleteItem/path': validator5,
  'deleteItem/query': validator0,
  'deleteItem/header': validator8,
  'listItemFiles/path': validator5,
  'listItemFiles/query': validator1,
  'listItemFiles/header': validator2,
  'createFileUpload/path': validator5,
  'createFileUpload/query': validator0,
  'createFileUpload/header': validator3,
  'createFileUpload/body': validator9,
  'getFileDownload/path': validator10,
  'getFileDownload/query': validator0,
  'getFileDownload/header': validator2,
  'deleteFile/path': validator10,
  'deleteFile/query': validator0,
  'deleteFile/header': validator2,
};

/** What the validator picks out of a request, by operation (see `RequestPlan`). */
export const requestPlans: Readonly<Record<string, RequestPlan>> = {
  listItems: {
    parameters: {
      path: [],
      query: [
        { name: 'limit', type: 'integer' },
        { name: 'cursor', type: 'string' },
      ],
      header: [],
    },
  },
  createItem: {
    parameters: { path: [], query: [], header: [{ name: 'Idempotency-Key', type: 'string' }] },
    body: { required: true },
  },
  getItem: { parameters: { path: [{ name: 'id', type: 'string' }], query: [], header: [] } },
  updateItem: {
    parameters: {
      path: [{ name: 'id', type: 'string' }],
      query: [],
      header: [
        { name: 'If-Match', type: 'string' },
        { name: 'Idempotency-Key', type: 'string' },
      ],
    },
    body: { required: true },
  },
  deleteItem: {
    parameters: {
      path: [{ name: 'id', type: 'string' }],
      query: [],
      header: [{ name: 'If-Match', type: 'string' }],
    },
  },
  listItemFiles: {
    parameters: {
      path: [{ name: 'id', type: 'string' }],
      query: [
        { name: 'limit', type: 'integer' },
        { name: 'cursor', type: 'string' },
      ],
      header: [],
    },
  },
  createFileUpload: {
    parameters: {
      path: [{ name: 'id', type: 'string' }],
      query: [],
      header: [{ name: 'Idempotency-Key', type: 'string' }],
    },
    body: { required: true },
  },
  getFileDownload: {
    parameters: {
      path: [
        { name: 'id', type: 'string' },
        { name: 'fileId', type: 'string' },
      ],
      query: [],
      header: [],
    },
  },
  deleteFile: {
    parameters: {
      path: [
        { name: 'id', type: 'string' },
        { name: 'fileId', type: 'string' },
      ],
      query: [],
      header: [],
    },
  },
};
