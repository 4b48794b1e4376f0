/** Namespaces of the standard function identifiers (1.0, 2.0 and 3.0 generations). */
export const F1 = 'urn:oasis:names:tc:xacml:1.0:function:';
export const F2 = 'urn:oasis:names:tc:xacml:2.0:function:';
export const F3 = 'urn:oasis:names:tc:xacml:3.0:function:';
